package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.NatsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hubs joined by their links over a real nats-server, without the rest of the gateway: one message at a time
 * must arrive by itself, with no later traffic to push it (NATS's own reconnect failed that here once in a few runs).
 */
class ClusterLinkTest {

    private NatsServer nats;
    private ClusterLink one;
    private ClusterLink two;
    private final SkynetHub hubOne = new SkynetHub(10);
    private final SkynetHub hubTwo = new SkynetHub(10);

    @BeforeEach
    void start() {
        NatsServer.assumeAvailable();
        nats = NatsServer.single();
    }

    @AfterEach
    void stop() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
        nats.close();
    }

    private ClusterLink link(String node, SkynetHub hub) {
        return TestLinks.started(nats.url(), node, hub);
    }

    @Test
    void eachMessageArrivesOnItsOwnWithoutLaterTrafficToPushIt() throws Exception {
        runOneAtATime(true);
    }

    @Test
    void eachMessageArrivesOnItsOwnAfterNatsWasDownAtStart() throws Exception {
        runOneAtATime(false);
    }

    @Test
    void eachMessageArrivesOnItsOwnAfterAReconnect() throws Exception {
        nats.start();
        one = link("one", hubOne);
        two = link("two", hubTwo);
        await().atMost(Duration.ofSeconds(30)).until(() -> one.isConnected() && two.isConnected());
        nats.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !one.isConnected() && !two.isConnected());
        SkynetHub.Member during = hubOne.join(d -> { });
        for (int i = 0; i < 500; i++) {
            during.publish(SkynetMessage.of(Channel.of(3), "during the outage"));
        }
        nats.start();
        runOneAtATime(null);
    }

    @Test
    void credentialsInTheUrlAreUsedAndNeverShown() throws Exception {
        nats.close();
        nats = NatsServer.withUser("gateway", "s3cret-pass").start();
        String url = "nats://gateway:s3cret-pass@127.0.0.1:" + nats.port();
        one = new ClusterLink(new ClusterOptions(List.of(url), "one", "skynet", 1 << 20, null), hubOne);
        one.start();
        two = new ClusterLink(new ClusterOptions(List.of("nats://gateway:wrong@127.0.0.1:" + nats.port()), "two",
                "skynet", 1 << 20, null), hubTwo);
        two.start();
        await().atMost(Duration.ofSeconds(30)).until(one::isConnected);
        assertThat(one.connectedUrl()).doesNotContain("s3cret-pass");
        assertThat(one.options().redactedUrls()).singleElement().asString().doesNotContain("s3cret-pass")
                .contains("127.0.0.1:" + nats.port());
        assertThat(two.isConnected()).as("a wrong password does not join").isFalse();
    }

    @Test
    void aBadSettingGetsOneClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterOptions(List.of("http://x:14222"), "n",
                "skynet", 1, null)).hasMessageContaining("must look like nats://host:port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterOptions(List.of(), "n", "skynet", 1, null))
                .hasMessageContaining("at least one NATS URL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterOptions(List.of("nats://u:pw@h:1 x"), "n",
                "skynet", 1, null)).hasMessageNotContaining("pw");
        assertThat(ClusterOptions.parseUrls(" nats://a:1, ,tls://b:2 ")).containsExactly("nats://a:1", "tls://b:2");
    }

    private void runOneAtATime(Boolean natsFirst) throws Exception {
        if (natsFirst != null) {
            if (natsFirst) {
                nats.start();
            }
            one = link("one", hubOne);
            two = link("two", hubTwo);
            if (!natsFirst) {
                nats.start();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> one.isConnected() && two.isConnected());
        LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        hubTwo.join(received::add).open(Channel.of(3));
        SkynetHub.Member sender = hubOne.join(d -> { });
        // The subscription reaches NATS on its own time: send until the first arrives.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sender.publish(SkynetMessage.of(Channel.of(3), "probe"));
            return received.poll(50, TimeUnit.MILLISECONDS) != null;
        });
        sender.publish(SkynetMessage.of(Channel.of(3), "probes end"));
        while (!"probes end".equals(received.poll(5, TimeUnit.SECONDS).message().payload())) {
            // probes still in flight
        }
        for (int i = 0; i < 300; i++) {
            sender.publish(SkynetMessage.of(Channel.of(3), (long) i));
            Delivery delivery = received.poll(5, TimeUnit.SECONDS);
            assertThat(delivery).as("message " + i + " " + one.metrics().snapshot() + " " + two.metrics().snapshot())
                    .isNotNull();
            assertThat(delivery.message().payload()).isEqualTo((long) i);
        }
    }
}
