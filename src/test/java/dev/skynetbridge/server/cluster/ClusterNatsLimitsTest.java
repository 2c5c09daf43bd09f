package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.NatsServer;
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
    }

    private void startAll(String natsConfiguration) {
        nats = NatsServer.withConfig(natsConfiguration).start();
        one = link("one", hubOne);
        two = link("two", hubTwo);
    }

    @AfterEach
    void stop() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    private ClusterLink link(String node, SkynetHub hub) {
        return TestLinks.started(nats.url(), node, hub);
    }

    @Test
    void aBatchLargerThanMaxPayloadIsDroppedCountedAndLoggedAndTheNextOneArrives() throws Exception {
        startAll("max_payload: 1024\n");
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

    /**
     * A node that stops reading (its NATS event loop held up here) holds nothing of its own. NATS then either stalls
     * the publishing node (its writes wait, up to NatsWrites.WAITING_BYTES, then are dropped, counted, with a WARN)
     * or cuts the reader off as a slow consumer (it reconnects); either way nothing grows without bound and traffic
     * flows again once the reader reads.
     */
    @Test
    void aNodeThatStopsReadingCostsBoundedMemoryCountedDropsAndRecovers() throws Exception {
        startAll("max_pending: 65536\nmax_payload: 8192\nwrite_deadline: \"500ms\"\n");
        await().atMost(WAIT).until(() -> one.isConnected() && two.isConnected());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean heldOnce = new java.util.concurrent.atomic.AtomicBoolean();
        LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        hubTwo.join(delivery -> {
            if (heldOnce.compareAndSet(false, true)) {
                try {
                    release.await(60, TimeUnit.SECONDS); // node two's NATS loop stops reading
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(delivery);
        }).open(Channel.of(5));
        SkynetHub.Member sender = hubOne.join(d -> { });
        await().atMost(WAIT).until(() -> {
            sender.publish(SkynetMessage.of(Channel.of(5), "probe"));
            return heldOnce.get();
        });
        int logBefore = LogCapture.size();
        String filler = "y".repeat(900);
        await().atMost(WAIT).until(() -> {
            for (int i = 0; i < 200; i++) {
                sender.publish(SkynetMessage.of(Channel.of(5), filler));
            }
            return one.metrics().dropped() > 0 || nats.log().contains("Slow Consumer");
        });
        release.countDown();
        assertThat(two.receiveDropped()).as("nothing queued or dropped on the reader's side").isZero();
        // What waited on node one (up to 5 MiB) goes through NATS's 64 KiB window for node two first: allow time.
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            sender.publish(SkynetMessage.of(Channel.of(5), "after"));
            Delivery next = received.poll(50, TimeUnit.MILLISECONDS);
            while (next != null && !"after".equals(next.message().payload())) {
                next = received.poll();
            }
            return next != null;
        });
        List<String> log = LogCapture.lines().subList(logBefore, LogCapture.size());
        if (one.metrics().dropped() > 0) {
            assertThat(log).anyMatch(line -> line.startsWith("WARN") && line.contains("NATS takes them more slowly"));
        } else {
            assertThat(log).anyMatch(line -> line.startsWith("WARN") && line.contains("node two lost NATS"));
        }
    }
}
