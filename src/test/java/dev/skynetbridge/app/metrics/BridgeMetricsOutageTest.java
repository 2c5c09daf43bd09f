package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import dev.skynetbridge.testsupport.PrometheusScrape;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge's counters add up across a broker outage with overflow: an MQTT bridge with a small outbox (bufferSize
 * 20) against a real Mosquitto that the test stops and starts, fed by a real v2 websocket client, scraped over HTTP.
 * At every quiet moment received = sent + failed + queued + dropped.
 */
class BridgeMetricsOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BRIDGE = "to-mosquitto";

    private final int managementPort = FreePorts.pick();
    private MosquittoBroker mosquitto;
    private GatewayUnderTest gateway;
    private Vertx vertx;

    @AfterEach
    void stop() {
        if (vertx != null) {
            vertx.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private double bridge(String meter) {
        return PrometheusScrape.of(managementPort, "/observe/metrics").value(meter, "bridge", BRIDGE, "kind", "mqtt");
    }

    private void assertAddsUp() {
        PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
        double received = scrape.value("skynet_bridge_received_total", "bridge", BRIDGE);
        double sent = scrape.value("skynet_bridge_sent_total", "bridge", BRIDGE);
        double failed = scrape.value("skynet_bridge_failed_total", "bridge", BRIDGE);
        double queued = scrape.value("skynet_bridge_queued", "bridge", BRIDGE);
        double dropped = scrape.value("skynet_bridge_dropped_total", "bridge", BRIDGE);
        assertThat(received)
                .as("received = sent %s + failed %s + queued %s + dropped %s", sent, failed, queued, dropped)
                .isEqualTo(sent + failed + queued + dropped);
    }

    @Test
    void countersAddUpAcrossABrokerOutageWithOverflow() {
        MosquittoBroker.assumeAvailable();
        mosquitto = new MosquittoBroker();
        mosquitto.start();
        gateway = GatewayUnderTest.start(Map.of("bridge", """
                - templatedRoute:
                    routeTemplateRef: skynet-mqtt-bridge
                    routeId: %s
                    parameters:
                      - name: bridgeId
                        value: outage
                      - name: brokerUrl
                        value: %s
                      - name: channel
                        value: sensor
                      - name: bufferSize
                        value: "20"
                """.formatted(BRIDGE, mosquitto.serverUri())), Map.of(
                "camel.management.enabled", "true",
                "skynet.management.port", String.valueOf(managementPort)));
        vertx = Vertx.vertx();
        RawWebSocket computer = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect");
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_connected") == 1);

        send(computer, 10);
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_sent_total") == 10);
        assertThat(bridge("skynet_bridge_last_success_seconds")).isPositive();
        assertAddsUp();

        mosquitto.stop();
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_connected") == 0);
        send(computer, 100);
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_received_total") == 110);
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_queued") == 20);
        assertThat(bridge("skynet_bridge_dropped_total")).as("100 sent into an outbox of 20").isEqualTo(80);
        assertAddsUp();

        mosquitto.start();
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_connected") == 1 && bridge("skynet_bridge_queued") == 0);
        assertAddsUp();
        assertThat(bridge("skynet_bridge_sent_total")).isEqualTo(30);
        assertThat(bridge("skynet_bridge_failed_total")).isZero();
        PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
        assertThat(scrape.value("camel_exchanges_total", "routeId", BRIDGE)).as("Camel's own count of the route")
                .isEqualTo(110);
        computer.close();
    }

    @Test
    void messagesFromMqttThatNameNoChannelAreCountedAsDiscarded() throws Exception {
        MosquittoBroker.assumeAvailable();
        mosquitto = new MosquittoBroker();
        mosquitto.start();
        gateway = GatewayUnderTest.start(Map.of("bridge", """
                - templatedRoute:
                    routeTemplateRef: skynet-mqtt-bridge
                    routeId: %s
                    parameters:
                      - name: bridgeId
                        value: inbound
                      - name: brokerUrl
                        value: %s
                """.formatted(BRIDGE, mosquitto.serverUri())), Map.of(
                "camel.management.enabled", "true",
                "skynet.management.port", String.valueOf(managementPort)));
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_connected") == 1);
        try (MqttTestClient home = MqttTestClient.connect(mosquitto.serverUri())) {
            await().atMost(WAIT).until(() -> {
                home.publish("skynet/x/not-a-channel", "{}", Map.of());
                return PrometheusScrape.of(managementPort, "/observe/metrics")
                        .value("skynet_mqtt_inbound_discarded_total", "reason", "not_a_channel") > 0;
            });
        }
        PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
        assertThat(scrape.value("skynet_mqtt_inbound_discarded_total", "reason", "bad_payload")).isZero();
        assertThat(scrape.type("camel_routes_running_routes")).as("Camel meters docs/metrics.md names").isPresent();
        assertThat(scrape.type("camel_exchanges_succeeded_total")).isPresent();
    }

    private static void send(RawWebSocket computer, int count) {
        for (int i = 0; i < count; i++) {
            computer.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("sensor"), "reading " + i)));
        }
    }
}
