package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.broker.EmbeddedMqttBrokerOptions;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway process that cannot start: one error line, exit status 1, and nothing of its broker left for long. */
class FailedStartProcessTest {

    @TempDir
    Path routes;

    @Test
    void aBadRouteEndsTheProcessWithOneErrorAndItsBrokerFolderGoesAtTheNextStart() throws Exception {
        Files.writeString(routes.resolve("bad.yaml"), """
                - route:
                    from:
                      uri: "skynet:lamp?bogusOption=1"
                      steps:
                        - to: "log:x"
                """);
        int brokerPort = FreePorts.pick();
        try (GatewayProcess gateway = GatewayProcess.launch("failing", Map.of(
                "SKYNET_ROUTES_DIR", routes.toString(),
                "SKYNET_MQTT_EMBEDDED_ENABLED", "true",
                "SKYNET_MQTT_EMBEDDED_PORT", String.valueOf(brokerPort)))) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            String log = gateway.logText();
            assertThat(log.lines().filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")))
                    .as(log).singleElement().asString()
                    .contains("Cannot start", "bad.yaml:3", "bogusOption");
        }
        // The process ended before HiveMQ's close (4 s): what is left of its broker's folder, the next start removes.
        EmbeddedMqttBroker next = new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults().withPort(0));
        next.start();
        next.stop();
        assertThat(brokerFoldersFor(brokerPort)).isEmpty();
    }

    private static List<Path> brokerFoldersFor(int port) throws IOException {
        try (Stream<Path> folders = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return folders.filter(p -> p.getFileName().toString().startsWith("skynet-mqtt-"))
                    .filter(p -> configOf(p).contains("<port>" + port + "</port>")).toList();
        }
    }

    private static String configOf(Path brokerFolder) {
        try {
            return Files.readString(brokerFolder.resolve("conf").resolve("config.xml"));
        } catch (IOException e) {
            return "";
        }
    }
}
