package dev.skynetbridge.bridge.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.MosquittoBroker;
import java.util.Map;

/**
 * Discovery against a Mosquitto the test starts (skipped where mosquitto is not installed), as Home Assistant users
 * run it: the broker outlives gateway restarts, so the retained configs and status do too.
 */
class HomeAssistantDiscoveryMosquittoTest extends HomeAssistantDiscoveryContract {

    private MosquittoBroker mosquitto;

    @Override
    protected void startBrokerAndGateway() throws Exception {
        MosquittoBroker.assumeAvailable();
        mosquitto = new MosquittoBroker();
        mosquitto.start();
        startGateway();
    }

    @Override
    protected Map<String, String> brokerSettings() {
        return Map.of("skynet.mqtt.url", mosquitto.serverUri());
    }

    @Override
    protected String brokerUri() {
        return mosquitto.serverUri();
    }

    @Override
    protected void assertStopLeavesOfflineRetained() throws Exception {
        assertThat(retained(STATUS, 1)).containsEntry(STATUS, "online");
        gateway.close();
        gateway = null;
        assertThat(retained(STATUS, 1)).as("a client arriving after the stop").containsEntry(STATUS, "offline");
        assertThat(retained(PREFIX + "/+/+/+/config", CONFIGS - 1)).as("the configs stay, so Home Assistant shows"
                + " the entities unavailable rather than losing them").hasSize(CONFIGS - 1);
    }

    @Override
    protected void closeBroker() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }
}
