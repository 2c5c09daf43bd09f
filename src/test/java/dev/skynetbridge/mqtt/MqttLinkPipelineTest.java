package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link MqttLink} keeps many publishes unconfirmed at once; this stops a real broker while a stream is in
 * flight and checks the promise: after the reconnect every message arrives, in order (at least once).
 */
class MqttLinkPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void messagesInFlightWhenTheConnectionDropsAreSentAgainInOrder() throws Exception {
        MosquittoBroker.assumeAvailable();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        // persistent: the subscriber's session and its queued messages survive the restart
        try (MosquittoBroker broker = new MosquittoBroker(true)) {
            broker.start();
            try (MqttTestClient subscriber = MqttTestClient.connect(broker.serverUri(), true);
                 MqttLink link = new MqttLink(broker.serverUri(), "test-link-" + UUID.randomUUID(),
                         new MqttLinkOptions(1_000_000, 200, 1_000, 10, 30, null, null), scheduler)) {
                subscriber.subscribe("pipeline/order");
                link.start();
                await().atMost(WAIT).until(link::isConnected);

                // A steady stream, so that when the broker goes away some messages are confirmed, some are in
                // flight and some still wait in the outbox; it keeps flowing during the outage.
                AtomicInteger sent = new AtomicInteger();
                AtomicBoolean keepSending = new AtomicBoolean(true);
                Thread publisher = new Thread(() -> {
                    while (keepSending.get()) {
                        for (int burst = 0; burst < 50; burst++) {
                            int next = sent.get() + 1;
                            link.publish(new MqttLink.Outgoing("pipeline/order",
                                    Integer.toString(next).getBytes(StandardCharsets.UTF_8), 1, false,
                                    "application/json", Map.of()));
                            sent.set(next);
                        }
                        LockSupport.parkNanos(1_000_000);
                    }
                }, "pipeline-test-publisher");
                publisher.start();
                await().atMost(WAIT).until(() -> link.publishedCount() >= 1_000);
                broker.stop();
                await().atMost(WAIT).until(() -> !link.isConnected());
                await().atMost(WAIT).until(() -> sent.get() >= link.publishedCount() + 1_000);
                keepSending.set(false);
                publisher.join();
                int count = sent.get();
                // Nothing vanished with the connection: each message is confirmed or back in the outbox.
                await("confirmed + waiting = all").atMost(WAIT)
                        .until(() -> link.publishedCount() + link.bufferedCount() == count);
                assertThat(link.publishedCount()).as("stopped before the end of the stream").isLessThan(count);

                broker.start();
                Set<String> firstSeen = new LinkedHashSet<>();
                long publishedAtLoss = link.publishedCount();
                try {
                    await("every message after the restart").atMost(WAIT).until(() -> {
                        MqttTestClient.Received next;
                        while ((next = subscriber.poll(Duration.ofMillis(50))) != null) {
                            firstSeen.add(next.payloadText());
                        }
                        return firstSeen.size() >= count;
                    });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    List<Integer> missing = new ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        if (!firstSeen.contains(Integer.toString(i))) {
                            missing.add(i);
                        }
                    }
                    throw new AssertionError("seen " + firstSeen.size() + " of " + count + ", published at loss "
                            + publishedAtLoss + ", now published " + link.publishedCount() + " buffered "
                            + link.bufferedCount() + " connected " + link.isConnected() + " subscriber connected "
                            + subscriber.isConnected() + ", missing " + missing.size() + ": "
                            + missing.subList(0, Math.min(40, missing.size())), e);
                }
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    expected.add(Integer.toString(i));
                }
                assertThat(new ArrayList<>(firstSeen)).as("each message arrived, first seen in the order published")
                        .containsExactlyElementsOf(expected);
                await().atMost(WAIT).until(() -> link.publishedCount() == count && link.bufferedCount() == 0);
                assertThat(link.droppedCount()).isZero();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
