package dev.skynetbridge.server.cluster;

import static dev.skynetbridge.testsupport.GatewayCluster.messageOf;
import static dev.skynetbridge.testsupport.GatewayCluster.open;
import static dev.skynetbridge.testsupport.GatewayCluster.sendV2;
import static dev.skynetbridge.testsupport.GatewayCluster.warmUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shipped MQTT bridge (routes/mqtt-bridge.yaml) on each of three gateways of a cluster, one Mosquitto: each
 * Skynet message is published to MQTT once, and each MQTT message enters Skynet once (a shared subscription) and
 * reaches every Skynet listener in the cluster once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterMqttBridgeTest {

    private static final Duration QUIET = Duration.ofMillis(700);

    private NatsServer nats;
    private MosquittoBroker mosquitto;
    private GatewayCluster cluster;
    private MqttTestClient mqtt;

    @BeforeAll
    void start() throws Exception {
        NatsServer.assumeAvailable();
        MosquittoBroker.assumeAvailable();
        nats = NatsServer.single().start();
        mosquitto = new MosquittoBroker();
        mosquitto.start();
        String bridge;
        try {
            bridge = Files.readString(Path.of("routes", "mqtt-bridge.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster = new GatewayCluster(List.of(nats.url(), nats.url(), nats.url()), Map.of("mqtt-bridge", bridge),
                Map.of("skynet.mqtt.url", mosquitto.serverUri()));
        cluster.awaitConnected();
        for (int node = 1; node <= 3; node++) {
            SkynetMqttComponent component = cluster.node(node).context()
                    .getComponent("skynet-mqtt", SkynetMqttComponent.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> component.linkStatuses().stream()
                    .anyMatch(s -> s.connected() && s.subscriptionsActive() == 1));
        }
        mqtt = MqttTestClient.connect(mosquitto.serverUri());
        mqtt.subscribe("skynet/#");
    }

    @AfterAll
    void stop() throws Exception {
        if (mqtt != null) {
            mqtt.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    /** The publishes on one topic that arrive within the quiet period after the first. */
    private List<MqttTestClient.Received> publishesOn(String topic) throws InterruptedException {
        List<MqttTestClient.Received> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            MqttTestClient.Received next = mqtt.poll(Duration.ofMillis(200));
            if (next != null && next.topic().equals(topic)) {
                found.add(next);
            }
        }
        MqttTestClient.Received next;
        while ((next = mqtt.poll(QUIET)) != null) {
            if (next.topic().equals(topic)) {
                found.add(next);
            }
        }
        return found;
    }

    @Test
    void aSkynetMessageIsPublishedToMqttOnceAndNotBroughtBack() throws Exception {
        Channel ch = Channel.of(44);
        RawWebSocket sender = cluster.v2(2);
        RawWebSocket on1 = cluster.v2(1);
        RawWebSocket on3 = cluster.v1(3);
        open(on1, false, ch);
        open(on3, true, ch);
        warmUp(cluster.v2(2), ch, on1, on3);
        publishesOn("skynet/n/44"); // the warm-up's own publishes

        sendV2(sender, SkynetMessage.of(ch, "to mqtt"));
        List<MqttTestClient.Received> published = publishesOn("skynet/n/44");
        assertThat(published).as("one bridge publishes it: the one on the node where it entered").hasSize(1);
        assertThat(published.get(0).payloadText()).isEqualTo("\"to mqtt\"");
        for (RawWebSocket listener : List.of(on1, on3)) {
            assertThat(messageOf(listener.next()).payload()).isEqualTo("to mqtt");
            assertThat(listener.poll(QUIET.toMillis())).as("no copy back from MQTT").isNull();
        }
    }

    @Test
    void anMqttMessageEntersSkynetOnceAndReachesEveryListenerOnce() throws Exception {
        Channel ch = Channel.of(43);
        List<RawWebSocket> listeners = List.of(cluster.v2(1), cluster.v1(2), cluster.v2(3));
        open(listeners.get(0), false, ch);
        open(listeners.get(1), true, ch);
        open(listeners.get(2), false, ch);
        warmUp(cluster.v2(1), ch, listeners.toArray(new RawWebSocket[0]));

        for (int i = 0; i < 20; i++) {
            mqtt.publish("skynet/n/43", "{\"n\":" + i + "}", Map.of());
        }
        for (RawWebSocket listener : listeners) {
            List<Object> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                got.add(messageOf(listener.next()).payload());
            }
            assertThat(got).as("each MQTT message once, whichever gateway took it").hasSize(20)
                    .doesNotHaveDuplicates();
            assertThat(listener.poll(QUIET.toMillis())).as("exactly once").isNull();
        }
    }
}
