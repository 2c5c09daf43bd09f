package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link MqttLink} against a Mosquitto that requires a user name and password, over TCP and websockets. */
class MqttLinkConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static MosquittoBroker broker;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void startBroker() {
        MosquittoBroker.assumeAvailable();
        broker = MosquittoBroker.withPassword("bridge", "s3cret");
        broker.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static MqttLink link(String username, String password) {
        return link(broker.serverUri(), username, password);
    }

    private static MqttLink link(String url, String username, String password) {
        return new MqttLink(url, "auth-test-" + UUID.randomUUID(),
                new MqttLinkOptions(100, 100, 500, 5, 30, username, password), scheduler);
    }

    @Test
    void theRightCredentialsConnectAndCarryMessages() throws Exception {
        BlockingQueue<MqttLink.Incoming> received = new LinkedBlockingQueue<>();
        try (MqttLink subscriber = link("bridge", "s3cret"); MqttLink publisher = link("bridge", "s3cret")) {
            subscriber.subscribe("auth/#", 1, received::add);
            subscriber.start();
            publisher.start();
            await().atMost(WAIT).until(() -> subscriber.status().subscriptionsActive() == 1 && publisher.isConnected());

            publisher.publish(new MqttLink.Outgoing("auth/check", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), 1,
                    false, "application/json", Map.of("skynet-channel", "s:check")));

            MqttLink.Incoming message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("the message through the authenticated broker").isNotNull();
            assertThat(message.topic()).isEqualTo("auth/check");
            assertThat(message.payloadText()).isEqualTo("{\"ok\":true}");
            assertThat(message.userProperties()).containsEntry("skynet-channel", "s:check");
        }
    }

    @Test
    void theSameOverMqttOverWebSockets() throws Exception {
        BlockingQueue<MqttLink.Incoming> received = new LinkedBlockingQueue<>();
        try (MqttLink subscriber = link(broker.webSocketUri(), "bridge", "s3cret");
             MqttLink publisher = link(broker.serverUri(), "bridge", "s3cret")) {
            subscriber.subscribe("auth/ws", 0, received::add);
            subscriber.start();
            publisher.start();
            await().atMost(WAIT).until(() -> subscriber.status().subscriptionsActive() == 1 && publisher.isConnected());

            publisher.publish(new MqttLink.Outgoing("auth/ws", "over ws".getBytes(StandardCharsets.UTF_8), 0, false,
                    "text/plain", Map.of()));

            MqttLink.Incoming message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("the message to the ws:// subscriber").isNotNull();
            assertThat(message.payloadText()).isEqualTo("over ws");
        }
    }

    @Test
    void aWrongPasswordIsReportedAndMessagesWaitInTheOutbox() {
        try (MqttLink link = link("bridge", "wrong")) {
            link.start();
            link.publish(new MqttLink.Outgoing("auth/check", new byte[] {1}, 1, false, null, Map.of()));
            await().atMost(WAIT).until(() -> link.status().lastProblem() != null);

            MqttLink.Status status = link.status();
            assertThat(status.connected()).isFalse();
            // The broker's reason, so that the health check tells the user what to fix.
            assertThat(status.lastProblem()).containsAnyOf("BAD_USER_NAME_OR_PASSWORD", "NOT_AUTHORIZED");
            assertThat(status.buffered()).as("the message waits for a connection").isEqualTo(1);
            assertThat(status.dropped()).isZero();
        }
    }
}
