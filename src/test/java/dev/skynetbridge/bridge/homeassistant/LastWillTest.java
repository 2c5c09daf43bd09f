package dev.skynetbridge.bridge.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that is killed (SIGKILL: no shutdown hook, no DISCONNECT) still leaves {@code offline} retained on its
 * bridge's status topic: the broker publishes the bridge's MQTT last will when the dead process's socket closes. The
 * gateway runs as a child JVM started like {@code java -jar} (the same main class, the test classpath), on free
 * ports, against a Mosquitto the test starts.
 */
class LastWillTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private MosquittoBroker mosquitto;
    private Process gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void killingTheGatewayLeavesOfflineRetainedThroughTheLastWill() throws Exception {
        MosquittoBroker.assumeAvailable();
        mosquitto = new MosquittoBroker();
        mosquitto.start();
        Path routes = Files.createDirectories(work.resolve("routes"));
        Files.copy(Path.of("routes/mqtt-bridge.yaml"), routes.resolve("mqtt-bridge.yaml"));
        List<Integer> ports = FreePorts.pick(3);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.skynetbridge.app.GatewayApplication")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile());
        builder.environment().putAll(Map.of(
                "SKYNET_SERVER_HOST", "127.0.0.1",
                "SKYNET_SERVER_PORT", String.valueOf(ports.get(0)),
                "SKYNET_HTTP_HOST", "127.0.0.1",
                "SKYNET_HTTP_PORT", String.valueOf(ports.get(1)),
                "SKYNET_MANAGEMENT_PORT", String.valueOf(ports.get(2)),
                "SKYNET_MQTT_URL", mosquitto.serverUri(),
                "SKYNET_ROUTES_DIR", routes.toString(),
                "SKYNET_HOMEASSISTANT_FILE", "config/examples/homeassistant.yaml",
                "SKYNET_HOMEASSISTANT_STATE_FILE", work.resolve("published.json").toString()));

        try (MqttTestClient homeAssistant = MqttTestClient.connect(mosquitto.serverUri())) {
            homeAssistant.subscribe("skynet/status");
            gateway = builder.start();
            assertThat(next(homeAssistant)).as("the gateway's bridge is online (log: %s)", work.resolve("gateway.log"))
                    .isEqualTo("online");
            await("discovery published").atMost(WAIT).until(() -> Files.isRegularFile(work.resolve("published.json")));

            gateway.destroyForcibly(); // SIGKILL
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(gateway.exitValue()).as("killed, not stopped").isEqualTo(137);

            assertThat(next(homeAssistant)).as("the broker published the last will").isEqualTo("offline");
        }
        try (MqttTestClient later = MqttTestClient.connect(mosquitto.serverUri())) {
            later.subscribe("skynet/status");
            assertThat(next(later)).as("and kept it").isEqualTo("offline");
        }
    }

    private static String next(MqttTestClient client) throws Exception {
        MqttTestClient.Received received = client.poll(WAIT);
        return received == null ? null : received.payloadText();
    }
}
