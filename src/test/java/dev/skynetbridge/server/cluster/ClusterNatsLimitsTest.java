package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.NatsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NATS server's limits as the link meets them: a batch over max_payload is refused, counted and logged. */
class ClusterNatsLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private NatsServer nats;
    private ClusterLink one;
    private ClusterLink two;
    private final SkynetHub hubOne = new SkynetHub(10);
    private final SkynetHub hubTwo = new SkynetHub(10);

    @BeforeEach
    void start() {
        NatsServer.assumeAvailable();
        LogCapture.install();
        nats = NatsServer.withConfig("max_payload: 1024\n").start();
        one = link("one", hubOne);
        two = link("two", hubTwo);
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
        nats.close();
    }

    private ClusterLink link(String node, SkynetHub hub) {
        ClusterLink link = new ClusterLink(new ClusterOptions(List.of(nats.url()), node, "skynet", 1 << 20,
                (Path) null), hub);
        link.start();
        return link;
    }

    @Test
    void aBatchLargerThanMaxPayloadIsDroppedCountedAndLoggedAndTheNextOneArrives() throws Exception {
        await().atMost(WAIT).until(() -> one.isConnected() && two.isConnected());
        LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        hubTwo.join(received::add).open(Channel.of(4));
        SkynetHub.Member sender = hubOne.join(d -> { });
        await().atMost(WAIT).until(() -> {
            sender.publish(SkynetMessage.of(Channel.of(4), "probe"));
            return received.poll(50, TimeUnit.MILLISECONDS) != null;
        });
        int logBefore = LogCapture.size();
        sender.publish(SkynetMessage.of(Channel.of(4), "x".repeat(2000)));
        assertThat(one.metrics().refusedTooLarge()).isEqualTo(1);
        assertThat(one.metrics().dropped()).isEqualTo(1);
        assertThat(LogCapture.lines().subList(logBefore, LogCapture.size()))
                .anyMatch(line -> line.startsWith("WARN") && line.contains("max_payload (1024 bytes)"));
        sender.publish(SkynetMessage.of(Channel.of(4), "small"));
        Delivery next;
        do {
            next = received.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("the small message after the refused one").isNotNull();
        } while (!"small".equals(next.message().payload()));
        assertThat(one.isConnected()).isTrue();
        assertThat(one.metrics().reconnects()).isZero();
    }
}
