package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MosquittoBroker;
import java.util.Map;

/**
 * The bridge contract against a Mosquitto the test starts (skipped where mosquitto is not
 * installed), configured as an external broker. The gateway starts while Mosquitto is still down:
 * start-up must not fail, and the bridges connect once it is up.
 */
class SkynetMqttBridgeMosquittoTest extends SkynetMqttBridgeContract {

    private MosquittoBroker mosquitto;

    @Override
    protected void startBrokerAndGateway() {
        MosquittoBroker.assumeAvailable();
        mosquitto = new MosquittoBroker(true);
        gateway = GatewayUnderTest.start(routeFiles(), Map.of(
                "skynet.mqtt.url", mosquitto.serverUri(),
                "skynet.mqtt.embedded.enabled", "true"));
        assertThat(gateway.application().services().mqttBroker()).as("an external broker turns the embedded one off")
                .isNull();
        assertThat(gateway.context().getRoute("default-from-mqtt")).as("routes started with the broker down").isNotNull();
        await().until(() -> links().size() == 2);
        assertThat(links()).noneMatch(MqttLink.Status::connected);
        mosquitto.start();
    }

    /** The outage: the broker is down for 30 s while messages keep coming. */
    @Override
    protected java.time.Duration outageDuration() {
        return java.time.Duration.ofSeconds(30);
    }

    @Override
    protected String brokerUri() {
        return mosquitto.serverUri();
    }

    @Override
    protected void stopBroker() {
        mosquitto.stop();
    }

    @Override
    protected void startBroker() {
        mosquitto.start();
    }

    @Override
    protected void closeBroker() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }
}
