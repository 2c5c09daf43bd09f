package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link MqttLink#publishConfirmed}: done once the broker has the message, failed when it never will. */
class MqttLinkConfirmationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
    }

    static MqttLink link(String url, int bufferSize) {
        return new MqttLink(url, "confirm-test-" + UUID.randomUUID(),
                new MqttLinkOptions(bufferSize, 100, 500, 5, 30, null, null), scheduler);
    }

    static MqttLink.Outgoing message(String topic) {
        return new MqttLink.Outgoing(topic, "x".getBytes(StandardCharsets.UTF_8), 1, false, null, Map.of());
    }

    @Test
    void completesWhenTheBrokerAcknowledged() {
        MosquittoBroker.assumeAvailable();
        try (MosquittoBroker broker = new MosquittoBroker(); MqttLink link = link(mosquittoStarted(broker), 10)) {
            CompletableFuture<Void> confirmed = link.publishConfirmed(message("c/1"));
            link.start();
            await().atMost(WAIT).until(confirmed::isDone);
            assertThat(confirmed).isCompleted();
            assertThat(link.publishedCount()).isEqualTo(1);
        }
    }

    private static String mosquittoStarted(MosquittoBroker broker) {
        broker.start();
        return broker.serverUri();
    }

    @Test
    void failsWhenDroppedFromAFullOutboxOrDiscardedAtClose() {
        // Nothing listens there: the messages wait in the outbox.
        MqttLink link = link("tcp://127.0.0.1:" + FreePorts.pick(), 1);
        link.start();
        CompletableFuture<Void> oldest = link.publishConfirmed(message("c/1"));
        CompletableFuture<Void> newest = link.publishConfirmed(message("c/2"));
        await().atMost(WAIT).until(oldest::isDone);
        assertThat(oldest).as("dropped to make room").isCompletedExceptionally();
        assertThat(newest).isNotDone();
        link.close();
        await().atMost(WAIT).until(newest::isDone);
        assertThat(newest).as("discarded at close").isCompletedExceptionally();
        assertThat(link.droppedCount()).isEqualTo(2);
    }
}
