package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.MqttBrokerContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.time.Duration;
import dev.skynetbridge.testsupport.MqttTestClient;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedMqttBrokerTest extends MqttBrokerContract {

    private final EmbeddedMqttBroker broker =
            new EmbeddedMqttBroker(EmbeddedMqttBroker.Options.defaults().withPort(0));

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
        EmbeddedMqttBroker persistent = new EmbeddedMqttBroker(EmbeddedMqttBroker.Options.defaults()
                .withPort(0)
                .withDataFolder(dataFolder)
                .withPersistence(EmbeddedMqttBroker.Persistence.FILE));
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
    void startOnATakenPortFailsNamingThePort() throws Exception {
        int port = FreePorts.pick();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            EmbeddedMqttBroker second = new EmbeddedMqttBroker(EmbeddedMqttBroker.Options.defaults().withPort(port));

            assertThatThrownBy(second::start)
                    .isInstanceOf(EmbeddedMqttBroker.MqttBrokerStartException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("already in use");
            assertThat(second.isRunning()).isFalse();
        }
    }
}
