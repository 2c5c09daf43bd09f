package dev.skynetbridge.bridge.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Discovery on the gateway's embedded HiveMQ broker (a free port), with a data folder so retained messages survive
 * the restarts as they would for a deployment that sets skynet.mqtt.embedded.data-dir.
 */
class HomeAssistantDiscoveryHiveMqTest extends HomeAssistantDiscoveryContract {

    private Path brokerData;

    @Override
    protected void startBrokerAndGateway() throws Exception {
        brokerData = Files.createDirectories(workDir.resolve("broker"));
        startGateway();
    }

    @Override
    protected Map<String, String> brokerSettings() {
        return Map.of("skynet.mqtt.embedded.enabled", "true", "skynet.mqtt.embedded.port", "0",
                "skynet.mqtt.embedded.data-dir", brokerData.toString());
    }

    @Override
    protected String brokerUri() {
        return gateway.application().services().mqttBroker().serverUri();
    }

    @Override
    protected void assertStopLeavesOfflineRetained() throws Exception {
        try (MqttTestClient watcher = MqttTestClient.connect(brokerUri())) {
            watcher.subscribe(STATUS);
            assertThat(collect(watcher, 1)).containsEntry(STATUS, "online");
            gateway.close(); // the broker stops with it, after the bridge said offline
            gateway = null;
            assertThat(collect(watcher, 1)).as("said before the broker went").containsEntry(STATUS, "offline");
        }
        // The broker again on its data, with no bridge at all: what it kept for the status topic.
        gateway = GatewayUnderTest.start(Map.of(), Map.of("skynet.mqtt.embedded.enabled", "true",
                "skynet.mqtt.embedded.port", "0", "skynet.mqtt.embedded.data-dir", brokerData.toString(),
                "skynet.homeassistant.file", ""));
        assertThat(retained(STATUS, 1)).as("retained").containsEntry(STATUS, "offline");
    }

    @Override
    protected void closeBroker() {
        // the embedded broker stops with the gateway; its data folder is under workDir
    }
}
