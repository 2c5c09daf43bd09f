package dev.skynetbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.MqttBrokerContract;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedMqttBrokerTest extends MqttBrokerContract {

    private final EmbeddedMqttBroker broker =
            new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults().withPort(0));

    @BeforeAll
    void startBrokerOnce() {
        broker.start();
    }

    @AfterAll
    void stopBrokerOnce() {
        broker.stop();
    }

    @Override
    protected String serverUri() {
        return broker.serverUri();
    }

    @Override
    protected void stopBroker() {
        broker.stop();
    }

    @Override
    protected void startBroker() {
        broker.start();
    }

    @Test
    void portZeroPicksAPortAndKeepsItAcrossRestart() throws Exception {
        int picked = broker.port();
        assertThat(picked).isPositive().isNotEqualTo(EmbeddedMqttBroker.DEFAULT_PORT);

        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        broker.start();

        assertThat(broker.port()).isEqualTo(picked);
        String topic = "skynet/restart/" + UUID.randomUUID();
        try (MqttTestClient subscriber = MqttTestClient.connect(broker.serverUri());
             MqttTestClient publisher = MqttTestClient.connect(broker.serverUri())) {
            subscriber.subscribe(topic);
            publisher.publish(topic, "again", Map.of("k", "v"));
            MqttTestClient.Received message = subscriber.poll(Duration.ofSeconds(10));
            assertThat(message).isNotNull();
            assertThat(message.userProperties()).containsEntry("k", "v");
        }
    }

    @Test
    void filePersistenceKeepsRetainedMessagesAcrossRestart(@TempDir Path dataFolder) throws Exception {
        EmbeddedMqttBroker persistent = new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults()
                .withPort(0)
                .withDataFolder(dataFolder)
                .withPersistence(EmbeddedMqttBrokerOptions.Persistence.FILE));
        String topic = "skynet/retained/" + UUID.randomUUID();
        try (persistent) {
            persistent.start();
            try (MqttTestClient publisher = MqttTestClient.connect(persistent.serverUri())) {
                publisher.publish(topic, "kept", Map.of("k", "v"), true);
            }
            persistent.stop();
            assertThat(dataFolder.resolve("data")).isNotEmptyDirectory();

            persistent.start();
            try (MqttTestClient subscriber = MqttTestClient.connect(persistent.serverUri())) {
                subscriber.subscribe(topic);
                MqttTestClient.Received retained = subscriber.poll(Duration.ofSeconds(10));
                assertThat(retained).as("retained message after restart").isNotNull();
                assertThat(retained.payloadText()).isEqualTo("kept");
            }
        }
    }

    @Test
    void messagesBeyondTheQueueLimitForASubscriberAreDroppedAndTheFirstOnesKept() throws Exception {
        EmbeddedMqttBroker small = new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults()
                .withPort(0)
                .withMaxQueuedMessages(5));
        String topic = "skynet/queued/" + UUID.randomUUID();
        String subscriberId = "away-" + UUID.randomUUID();
        try (small) {
            small.start();
            // A subscriber that keeps its session and goes away: everything for it waits in its queue.
            MqttAsyncClient away = new MqttAsyncClient(small.serverUri(), subscriberId, new MemoryPersistence());
            away.connect(keptSession()).waitForCompletion(10_000);
            away.subscribe(topic, 1).waitForCompletion(10_000);
            away.disconnect().waitForCompletion(10_000);
            try (MqttTestClient publisher = MqttTestClient.connect(small.serverUri())) {
                for (int i = 1; i <= 12; i++) {
                    publisher.publish(topic, Integer.toString(i), Map.of());
                }
            }

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            away.setCallback(collectInto(received));
            away.connect(keptSession()).waitForCompletion(10_000);
            List<String> delivered = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String next = received.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("queued message %d of 5", i + 1).isNotNull();
                delivered.add(next);
            }
            assertThat(delivered).containsExactly("1", "2", "3", "4", "5");
            assertThat(received.poll(1, TimeUnit.SECONDS)).as("the 7 past the limit were dropped").isNull();
            away.disconnect().waitForCompletion(10_000);
            away.close();
        }
    }

    @Test
    void theGatewaysOwnBridgeClientsGetTheirOwnQueueSizeAndEveryOtherClientTheGeneralOne() throws Exception {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults()
                .withPort(0)
                .withMaxQueuedMessages(5)
                .withBridgeClients("skynet-bridge-", 8));
        String topic = "skynet/queued/" + UUID.randomUUID();
        LogCapture.install();
        try (broker) {
            broker.start();
            MqttAsyncClient bridge = awaySubscriber(broker, "skynet-bridge-test-" + UUID.randomUUID(), topic);
            MqttAsyncClient other = awaySubscriber(broker, "other-" + UUID.randomUUID(), topic);
            try (MqttTestClient publisher = MqttTestClient.connect(broker.serverUri())) {
                for (int i = 1; i <= 12; i++) {
                    publisher.publish(topic, Integer.toString(i), Map.of());
                }
            }
            assertThat(drainQueued(bridge, 8)).as("the bridge's queue holds 8").hasSize(8);
            assertThat(drainQueued(other, 5)).as("any other client's holds 5").containsExactly("1", "2", "3", "4", "5");
            assertThat(broker.droppedMessages()).as("4 past the bridge's limit and 7 past the other's, counted")
                    .isEqualTo(11);
            assertThat(LogCapture.matching(line -> line.contains("for subscriber 'other-")
                    && line.contains("raise skynet.mqtt.embedded.max-queued-messages (now 5)"))).hasSize(1);
            assertThat(LogCapture.matching(line -> line.contains("for the gateway's own bridge 'skynet-bridge-test-")
                    && line.contains("raise skynet.mqtt.embedded.bridge-max-queued-messages (now 8)"))).hasSize(1);
        }
    }

    /** A subscriber of {@code topic} that keeps its session and goes away: everything for it waits in its queue. */
    private static MqttAsyncClient awaySubscriber(EmbeddedMqttBroker broker, String clientId, String topic)
            throws MqttException {
        MqttAsyncClient away = new MqttAsyncClient(broker.serverUri(), clientId, new MemoryPersistence());
        away.connect(keptSession()).waitForCompletion(10_000);
        away.subscribe(topic, 1).waitForCompletion(10_000);
        away.disconnect().waitForCompletion(10_000);
        return away;
    }

    /** Reconnects an away subscriber and takes the {@code expected} messages queued for it, then closes it. */
    private static List<String> drainQueued(MqttAsyncClient away, int expected) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        away.setCallback(collectInto(received));
        away.connect(keptSession()).waitForCompletion(10_000);
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            String next = received.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("queued message %d of %d", i + 1, expected).isNotNull();
            delivered.add(next);
        }
        away.disconnect().waitForCompletion(10_000);
        away.close();
        return delivered;
    }

    private static MqttCallback collectInto(BlockingQueue<String> received) {
        return new MqttCallback() {
            @Override
            public void messageArrived(String arrivedTopic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    private static MqttConnectionOptions keptSession() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        return options;
    }

    @Test
    void startOnATakenPortFailsNamingThePort() throws Exception {
        int port = FreePorts.pick();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            EmbeddedMqttBroker second = new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults().withPort(port));

            assertThatThrownBy(second::start)
                    .isInstanceOf(EmbeddedMqttBroker.MqttBrokerStartException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("already in use");
            assertThat(second.isRunning()).isFalse();
        }
    }
}
