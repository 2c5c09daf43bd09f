package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a new user reads first: the default start (shipped bridge, embedded broker started in the background)
 * logs no WARN or ERROR. The bridge used to connect before the broker listened and greeted every first run
 * with "MQTT broker ... is unreachable".
 */
class DefaultPathStartupTest {

    @Test
    void theDefaultStartLogsNoWarningAndTheBridgeConnectsOnItsFirstAttempt() throws Exception {
        LogCapture.install();
        int before = LogCapture.size();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(
                Map.of("mqtt-bridge", Files.readString(Path.of("routes/mqtt-bridge.yaml"))),
                Map.of("skynet.mqtt.embedded.enabled", "true", "skynet.mqtt.embedded.port", "0"))) {
            SkynetMqttComponent component = gateway.context().getComponent("skynet-mqtt", SkynetMqttComponent.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> !component.linkStatuses().isEmpty()
                    && component.linkStatuses().stream().allMatch(MqttLink.Status::connected));
            List<String> lines = LogCapture.lines();
            List<String> problems = lines.subList(Math.min(before, lines.size()), lines.size()).stream()
                    .filter(line -> line.startsWith("WARN") || line.startsWith("ERROR")).toList();
            assertThat(problems).as("WARN and ERROR lines of a default start").isEmpty();
            assertThat(component.linkStatuses()).allSatisfy(status -> assertThat(status.connects()).isEqualTo(1));
        }
    }
}
