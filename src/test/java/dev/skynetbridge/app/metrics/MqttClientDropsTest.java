package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.skynetbridge.support.logging.GatewayLogging;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.PrometheusScrape;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MQTT client's own drop of incoming QoS 0 messages (beyond skynet.mqtt.inbound-queue-size waiting for a slow
 * route, set to 1,024 here) is counted in skynet_mqtt_client_dropped_total and reported as a rate-limited WARN naming
 * that setting instead of one line per message: a QoS 0 flood from a real Mosquitto into a bridge whose route from
 * MQTT takes 20 ms per message.
 */
class MqttClientDropsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theClientsQos0DropsAreCountedAndWarnedAboutOnce() throws Exception {
        MosquittoBroker.assumeAvailable();
        LogCapture.install();
        int warningsBefore = warnings();
        int managementPort = FreePorts.pick();
        try (MosquittoBroker mosquitto = new MosquittoBroker()) {
            mosquitto.start();
            try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("slow", """
                    - route:
                        id: slow-from-mqtt
                        from:
                          uri: kamelet:skynet-mqtt-source
                          parameters: {brokerUrl: "%s", bridgeId: slow, qos: 0}
                          steps:
                            - delay:
                                constant: 20
                    """.formatted(mosquitto.serverUri())), Map.of(
                    "camel.management.enabled", "true", "skynet.management.port", String.valueOf(managementPort),
                    "skynet.mqtt.inbound-queue-size", "1024"))) {
                double before = scrape(managementPort).value("skynet_mqtt_client_dropped_total");
                Mqtt5BlockingClient publisher = MqttClient.builder().useMqttVersion5()
                        .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
                publisher.connect();
                // The bridge subscribes in the background: wait until a message gets through the route.
                await().atMost(WAIT).until(() -> {
                    publisher.publishWith().topic("skynet/n/1").qos(MqttQos.AT_MOST_ONCE)
                            .payload("1".getBytes(StandardCharsets.UTF_8)).send();
                    return scrape(managementPort).value("camel_exchanges_total", "routeId", "slow-from-mqtt") > 0;
                });
                for (int i = 0; i < 5_000; i++) {
                    publisher.publishWith().topic("skynet/n/1").qos(MqttQos.AT_MOST_ONCE)
                            .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();
                }
                publisher.disconnect();
                await().atMost(WAIT).until(() -> scrape(managementPort).value("skynet_mqtt_client_dropped_total")
                        > before);
            }
        }
        int warnings = warnings() - warningsBefore;
        assertThat(warnings).as("one rate-limited WARN (every 10 s), not one per message").isLessThanOrEqualTo(3);
        assertThat(warnings()).as("(one may have been written by an earlier test in this JVM less than 10 s ago)")
                .isPositive();
        // The client's own line (one per message) goes to the counter, not to the console (GatewayLoggingTest).
        assertThat(GatewayLogging.active().diverts(
                "com.hivemq.client.internal.mqtt.handler.publish.incoming.MqttIncomingPublishService")).isTrue();
    }

    private static int warnings() {
        return LogCapture.matching(line -> line.contains("MQTT client dropped an incoming QoS 0 message")
                && line.contains("Raise skynet.mqtt.inbound-queue-size")).size();
    }

    private static PrometheusScrape scrape(int port) {
        return PrometheusScrape.of(port, "/observe/metrics");
    }
}
