package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad Home Assistant file stops start-up with one {@code file:line: problem}, and {@code validate} reports the same
 * without starting anything.
 */
class HomeAssistantFileErrorsTest {

    @TempDir
    Path dir;

    RouteFileErrorsTest.Outcome validate(String haYaml) throws Exception {
        Path file = dir.resolve("homeassistant.yaml");
        Files.writeString(file, haYaml);
        return RouteFileErrorsTest.validateFolder("routes", Map.of("skynet.homeassistant.file", file.toString(),
                "skynet.homeassistant.state-file", dir.resolve("published.json").toString()));
    }

    String file() {
        return dir.resolve("homeassistant.yaml").toString();
    }

    @Test
    void theShippedExampleIsValidWithTheShippedRoutes() {
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder("routes",
                Map.of("skynet.homeassistant.file", "config/examples/homeassistant.yaml",
                        "skynet.homeassistant.state-file", dir.resolve("published.json").toString()));
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.status()).isZero();
        assertThat(Files.exists(dir.resolve("published.json"))).as("validate publishes nothing").isFalse();
    }

    @Test
    void theDocumentedBridgeForHomeAssistantsBrokerIsValidWithTheExample() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.copy(Path.of("docs/examples/homeassistant-bridge.yaml"), routes.resolve("homeassistant-bridge.yaml"));
        Path file = dir.resolve("homeassistant.yaml");
        Files.writeString(file, Files.readString(Path.of("config/examples/homeassistant.yaml"))
                .replace("bridge: default ", "bridge: ha "));
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder(routes.toString(),
                Map.of("skynet.homeassistant.file", file.toString()));
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.status()).isZero();
    }

    @Test
    void validatingWhileTheGatewayRunsLeavesItsBrokerAlone() throws Exception {
        MosquittoBroker.assumeAvailable();
        try (MosquittoBroker broker = new MosquittoBroker()) {
            broker.start();
            try (MqttTestClient running = MqttTestClient.connect(broker.serverUri())) {
                // What a running gateway's bridge keeps there.
                running.publish("skynet/status", "online", Map.of(), true);
            }
            RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder("routes", Map.of(
                    "skynet.mqtt.url", broker.serverUri(),
                    "skynet.homeassistant.file", "config/examples/homeassistant.yaml",
                    "skynet.homeassistant.state-file", dir.resolve("published.json").toString()));
            assertThat(outcome.status()).isZero();
            try (MqttTestClient watcher = MqttTestClient.connect(broker.serverUri())) {
                watcher.subscribe("#");
                MqttTestClient.Received first = watcher.poll(Duration.ofSeconds(10));
                assertThat(first).isNotNull();
                assertThat(first.topic() + " " + first.payloadText()).isEqualTo("skynet/status online");
                assertThat(watcher.poll(Duration.ofSeconds(1))).as("no discovery config, no offline").isNull();
            }
        }
    }

    @Test
    void validateReportsAYamlErrorWithItsLine() throws Exception {
        RouteFileErrorsTest.Outcome outcome = validate("devices:\n  - id: a\n    entities: [\n");
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":").contains("not valid YAML");
        assertThat(outcome.err().lines()).hasSize(1);
    }

    @Test
    void validateReportsAnUnknownBridgeAtItsLine() throws Exception {
        RouteFileErrorsTest.Outcome outcome = validate("""
                # comment
                bridge: defualt
                devices:
                  - id: d
                    entities:
                      - {id: t, platform: sensor, channel: 42}
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).isEqualTo("INVALID: " + file() + ":2: unknown bridge 'defualt': the routes' MQTT"
                + " bridges are default (did you mean 'default'?); give bridge: the bridgeId of a skynet-mqtt-bridge"
                + " route\n");
    }

    @Test
    void validateReportsAMissingChannel() throws Exception {
        RouteFileErrorsTest.Outcome outcome = validate("devices:\n  - id: d\n    entities:\n      - id: b\n"
                + "        platform: button\n");
        assertThat(outcome.err()).isEqualTo("INVALID: " + file() + ":4: entity d/b: a button needs a command topic:"
                + " give channel: (the channel Home Assistant sends its commands to) or command_channel:\n");
    }

    @Test
    void startUpStopsWithTheSameLine() throws Exception {
        Path file = dir.resolve("homeassistant.yaml");
        Files.writeString(file, "bridge: nowhere\ndevices: []\n");
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bridge", Files.readString(
                Path.of("routes/mqtt-bridge.yaml"))), Map.of("skynet.homeassistant.file", file.toString(),
                "skynet.mqtt.url", "tcp://127.0.0.1:1")))
                .satisfies(e -> assertThat(StartupProblem.describe(e.getCause(), null)).as("GatewayUnderTest wraps what"
                        + " Main.start() threw; GatewayApplication.run() describes that").isEqualTo(file + ":1: unknown bridge"
                        + " 'nowhere': the routes' MQTT bridges are default; give bridge: the bridgeId of a"
                        + " skynet-mqtt-bridge route"));
    }

    @Test
    void aFileThatWasNamedButIsMissingIsAnError() {
        String missing = dir.resolve("nope.yaml").toString();
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder("routes",
                Map.of("skynet.homeassistant.file", missing));
        assertThat(outcome.err()).isEqualTo("INVALID: " + missing + ":1: the Home Assistant file does not exist;"
                + " create it (see docs/home-assistant.md) or unset skynet.homeassistant.file\n");
    }
}
