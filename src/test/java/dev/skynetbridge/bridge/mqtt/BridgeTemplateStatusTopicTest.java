package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The skynet-mqtt-bridge template passes its availability parameters to both of its routes' endpoints. */
class BridgeTemplateStatusTopicTest {

    @Test
    void aStatusTopicAndPayloadsGivenToTheTemplateAreWhatTheBridgeAnnounces() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("bridge", """
                - templatedRoute:
                    routeTemplateRef: skynet-mqtt-bridge
                    parameters:
                      - {name: bridgeId, value: house}
                      - {name: topicPrefix, value: house/skynet}
                      - {name: statusTopic, value: house/gateway/state}
                      - {name: statusOnline, value: up}
                      - {name: statusOffline, value: down}
                """), Map.of("skynet.mqtt.embedded.enabled", "true", "skynet.mqtt.embedded.port", "0"))) {
            String broker = gateway.application().services().mqttBrokerUrl();
            MqttTestClient watcher = MqttTestClient.connect(broker);
            try {
                watcher.subscribe("house/#");
                MqttTestClient.Received status = watcher.poll(Duration.ofSeconds(20));
                assertThat(status).as("the retained status").isNotNull();
                assertThat(status.topic()).isEqualTo("house/gateway/state");
                assertThat(status.payloadText()).isEqualTo("up");
            } finally {
                watcher.close();
            }
        }
    }
}
