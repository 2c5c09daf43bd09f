package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.NatsServer;
import java.nio.file.Path;
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
        ClusterLink link = new ClusterLink(new ClusterOptions(List.of(nats.url()), node, "skynet", 1 << 20,
                (Path) null), hub);
        link.start();
        return link;
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
