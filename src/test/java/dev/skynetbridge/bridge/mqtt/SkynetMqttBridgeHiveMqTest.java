package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bridge contract against the gateway's own embedded HiveMQ broker, started the way a user with
 * no configuration gets it (on a free port here), with a data folder so sessions survive the
 * outage test's restart as they would for a real deployment.
 */
class SkynetMqttBridgeHiveMqTest extends SkynetMqttBridgeContract {

    private Path dataDir;

    @Override
    protected void startBrokerAndGateway() throws Exception {
        dataDir = Files.createTempDirectory("skynet-hivemq-test");
        gateway = GatewayUnderTest.start(routeFiles(), Map.of(
                "skynet.mqtt.embedded.enabled", "true",
                "skynet.mqtt.embedded.port", "0",
                "skynet.mqtt.embedded.data-dir", dataDir.toString()));
        assertThat(broker().isRunning()).isTrue();
        assertThat(gateway.application().services().mqttBrokerUrl()).isEqualTo(broker().serverUri());
    }

    private dev.skynetbridge.broker.EmbeddedMqttBroker broker() {
        return gateway.application().services().mqttBroker();
    }

    @Override
    protected String brokerUri() {
        return broker().serverUri();
    }

    @Override
    protected void stopBroker() {
        broker().stop();
    }

    @Override
    protected void startBroker() {
        broker().start();
    }

    @Override
    protected void closeBroker() throws Exception {
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
