package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.camel.mqtt.SkynetMqttConsumer;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.mqtt.MqttUserProperties;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MqttTestClient;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Skynet <-> MQTT bridge end to end, run against every real broker (one subclass each): the
 * whole gateway with the shipped {@code routes/mqtt-bridge.yaml}, real websocket clients on the
 * Skynet side and a real MQTT client on the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SkynetMqttBridgeContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** How long "nothing more arrives" is watched after the expected messages came. */
    static final Duration QUIET = Duration.ofMillis(1000);

    /** A second bridge with a tiny outbox, for the overflow test: channel "burst" only, prefix "small". */
    static final String SMALL_BUFFER_BRIDGE = """
            - templatedRoute:
                routeTemplateRef: skynet-mqtt-bridge
                routeId: small-to-mqtt
                parameters:
                  - name: bridgeId
                    value: small
                  - name: topicPrefix
                    value: small
                  - name: channel
                    value: burst
                  - name: bufferSize
                    value: "5"
            """;

    protected Vertx vertx;
    protected GatewayUnderTest gateway;

    /** Starts the broker and {@link #gateway} with {@link #routeFiles()}. */
    protected abstract void startBrokerAndGateway() throws Exception;

    protected abstract void closeBroker() throws Exception;

    protected abstract String brokerUri();

    protected abstract void stopBroker() throws Exception;

    protected abstract void startBroker() throws Exception;

    /** How long the outage test keeps the broker down while Skynet traffic flows. */
    protected Duration outageDuration() {
        return Duration.ZERO;
    }

    static Map<String, String> routeFiles() {
        try {
            Map<String, String> files = new LinkedHashMap<>();
            files.put("mqtt-bridge", Files.readString(Path.of("routes", "mqtt-bridge.yaml")));
            files.put("small-buffer", SMALL_BUFFER_BRIDGE);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        startBrokerAndGateway();
        awaitBridgesReady();
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
            closeBroker();
        } finally {
            vertx.close();
        }
    }

    @Test
    void aSkynetMessageArrivesOnItsTopicWithItsPropertiesAndJsonBody() throws Exception {
        try (MqttTestClient subscriber = MqttTestClient.connect(brokerUri());
             RawWebSocket turtle = skynetClient()) {
            subscriber.subscribe("skynet/n/42");
            subscriber.subscribe("skynet/s/base%2Fdoor");

            turtle.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of(42), Map.of("fuel", 80L),
                    new LinkedHashMap<>(Map.of("sender", "turtle")), null, null)));
            MqttTestClient.Received numeric = subscriber.poll(WAIT);
            assertThat(numeric).as("message on skynet/n/42").isNotNull();
            assertThat(numeric.topic()).isEqualTo("skynet/n/42");
            assertThat(numeric.payloadText()).isEqualTo("{\"fuel\":80}");
            assertThat(numeric.userProperties())
                    .containsEntry(MqttUserProperties.CHANNEL, "n:42")
                    .containsEntry(MqttUserProperties.EXTRAS, "{\"sender\":\"turtle\"}")
                    .containsEntry(MqttUserProperties.BRIDGE_ID, "default")
                    .containsEntry(MqttUserProperties.HOPS, "0")
                    .containsKeys(MqttUserProperties.MESSAGE_ID, MqttUserProperties.TIME);
            assertThat(numeric.userProperties().get(MqttUserProperties.MESSAGE_ID)).isNotBlank();

            // A string channel with a '/' in its name, and a byte string that is not UTF-8.
            turtle.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("base/door"), new byte[] {(byte) 0xff, 1})));
            MqttTestClient.Received door = subscriber.poll(WAIT);
            assertThat(door).as("message on skynet/s/base%%2Fdoor").isNotNull();
            assertThat(door.topic()).isEqualTo("skynet/s/base%2Fdoor");
            assertThat(door.payloadText()).isEqualTo("{\"$bytes\":\"/wE=\"}");
            assertThat(door.userProperties()).containsEntry(MqttUserProperties.CHANNEL, "s:base/door")
                    .doesNotContainKey(MqttUserProperties.EXTRAS);
            assertThat(subscriber.poll(QUIET)).as("nothing else on those topics").isNull();
        }
    }

    @Test
    void mqttMessagesArriveOnTheirSkynetChannelAsJsonValuesTextOrBytes() throws Exception {
        try (MqttTestClient publisher = MqttTestClient.connect(brokerUri());
             RawWebSocket computer = skynetClient()) {
            computer.sendBinary(V2Codec.encodeOpen(Channel.of(7)));
            computer.sendBinary(V2Codec.encodeOpen(Channel.of("lamp")));
            await().atMost(WAIT).until(() -> hub().subscriberCount(Channel.of(7)) == 1
                                             && hub().subscriberCount(Channel.of("lamp")) == 1);

            publisher.publish("skynet/n/7", "{\"cmd\":\"dig\",\"n\":3}",
                    Map.of(MqttUserProperties.EXTRAS, "{\"from\":\"home-assistant\"}"));
            SkynetMessage command = push(computer);
            assertThat(command.channel()).isEqualTo(Channel.of(7));
            assertThat(command.payload()).as("a JSON object arrives as a table").isEqualTo(Map.of("cmd", "dig", "n", 3L));
            assertThat(command.extras()).containsEntry("from", "home-assistant")
                    .containsEntry(MqttUserProperties.HOPS_EXTRA_KEY, 1L);

            publisher.publish("skynet/s/lamp", "ON", Map.of());
            SkynetMessage text = push(computer);
            assertThat(text.channel()).isEqualTo(Channel.of("lamp"));
            assertThat(text.payload()).as("text that is not JSON arrives as text").isEqualTo("ON");

            // A topic that names no channel (non-canonical number) is refused and counted; order is kept.
            long rejectedBefore = inboundConsumer("default").getRejectedCount();
            publisher.publish("skynet/n/07", "{}", Map.of());
            publisher.publish("skynet/n/7", new byte[] {(byte) 0xff, 0});
            SkynetMessage bytes = push(computer);
            assertThat((byte[]) bytes.payload()).as("bytes that are not UTF-8 arrive as a byte string")
                    .containsExactly(0xff, 0);
            assertThat(inboundConsumer("default").getRejectedCount()).isEqualTo(rejectedBefore + 1);
            assertThat(computer.poll(QUIET.toMillis())).isNull();
        }
    }

    @Test
    void theBidirectionalBridgeDoesNotLoopInEitherDirection() throws Exception {
        try (MqttTestClient watcher = MqttTestClient.connect(brokerUri());
             RawWebSocket sender = skynetClient();
             RawWebSocket listener = skynetClient()) {
            watcher.subscribe("skynet/n/9");
            listener.sendBinary(V2Codec.encodeOpen(Channel.of(9)));
            await().atMost(WAIT).until(() -> hub().subscriberCount(Channel.of(9)) == 1);
            long ownBefore = inboundConsumer("default").getOwnIgnoredCount();

            // Skynet -> MQTT: one publish, and it does not come back into Skynet.
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(9), "ping")));
            assertThat(push(listener).payload()).isEqualTo("ping");
            MqttTestClient.Received published = watcher.poll(WAIT);
            assertThat(published).isNotNull();
            assertThat(published.payloadText()).isEqualTo("\"ping\"");
            assertThat(watcher.poll(QUIET)).as("published to MQTT once").isNull();
            assertThat(listener.poll(QUIET.toMillis())).as("not echoed back into Skynet").isNull();

            // MQTT -> Skynet: delivered once, and not published back to MQTT.
            watcher.publish("skynet/n/9", "pong", Map.of());
            assertThat(push(listener).payload()).isEqualTo("pong");
            MqttTestClient.Received own = watcher.poll(WAIT);
            assertThat(own.payloadText()).as("the watcher's own publish").isEqualTo("pong");
            assertThat(watcher.poll(QUIET)).as("the bridge did not publish it back to MQTT").isNull();
            assertThat(listener.poll(QUIET.toMillis())).as("delivered to Skynet once").isNull();

            assertThat(inboundConsumer("default").getOwnIgnoredCount())
                    .as("MQTT 5 No Local kept the bridge's own publishes from coming back at all")
                    .isEqualTo(ownBefore);
        }
    }

    @Test
    void aBurstArrivesCompleteAndInOrderWhileManyPublishesAreInFlight() throws Exception {
        // The link hands messages to the broker without waiting for each acknowledgement (QoS 1 here, the
        // shipped default); a burst must still leave in Skynet order, each once.
        // More than HiveMQ's and Mosquitto's default per-subscriber queue (1,000): the embedded broker is
        // configured above it (skynet.mqtt.embedded.max-queued-messages), the test Mosquitto too.
        int count = 2_000;
        try (MqttTestClient subscriber = MqttTestClient.connect(brokerUri());
             RawWebSocket turtle = skynetClient()) {
            subscriber.subscribe("skynet/s/burst-order");
            long publishedBefore = link("default").published();
            for (long i = 1; i <= count; i++) {
                turtle.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("burst-order"), i)));
            }
            List<String> received = new ArrayList<>();
            await("the whole burst arrives").atMost(WAIT).until(() -> {
                MqttTestClient.Received next;
                while ((next = subscriber.poll(Duration.ofMillis(50))) != null) {
                    received.add(next.payloadText());
                }
                return received.size() >= count;
            });
            List<String> expected = new ArrayList<>();
            for (long i = 1; i <= count; i++) {
                expected.add(Long.toString(i));
            }
            assertThat(received).as("every message once, in the order sent").containsExactlyElementsOf(expected);
            assertThat(subscriber.poll(QUIET)).as("nothing more").isNull();
            await().atMost(WAIT).until(() -> link("default").published() == publishedBefore + count
                                             && link("default").buffered() == 0);
            assertThat(link("default").dropped()).isZero();
        }
    }

    @Test
    void duringABrokerOutageMessagesWaitInOrderAndOverflowIsCounted() throws Exception {
        try (MqttTestClient subscriber = MqttTestClient.connect(brokerUri(), true);
             RawWebSocket turtle = skynetClient()) {
            subscriber.subscribe("skynet/s/outage");
            subscriber.subscribe("small/s/burst");

            stopBroker();
            await("the bridges notice the outage").atMost(WAIT)
                    .until(() -> links().stream().noneMatch(MqttLink.Status::connected));
            assertThat(List.of(mqttHealth("default"), mqttHealth("small")))
                    .as("each bridge's health check shows the outage")
                    .containsOnly(org.apache.camel.health.HealthCheck.State.DOWN);

            // Traffic keeps flowing for the whole outage: the sends are paced over outageDuration().
            long pauseMillis = outageDuration().toMillis() / 20;
            for (long i = 1; i <= 20; i++) {
                turtle.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("outage"), i)));
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
            for (long i = 1; i <= 12; i++) {
                turtle.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("burst"), i)));
            }
            await("all buffered").atMost(WAIT).until(() -> link("default").buffered() == 32
                                                           && link("small").dropped() == 7);
            assertThat(link("small").buffered()).isEqualTo(5);

            startBroker();
            List<String> outage = new ArrayList<>();
            List<String> burst = new ArrayList<>();
            await("buffered messages delivered after the restart").atMost(WAIT).until(() -> {
                MqttTestClient.Received received = subscriber.poll(Duration.ofMillis(200));
                if (received != null) {
                    (received.topic().startsWith("small/") ? burst : outage).add(received.payloadText());
                }
                return outage.size() >= 20 && burst.size() >= 5;
            });
            List<String> expected = new ArrayList<>();
            for (long i = 1; i <= 20; i++) {
                expected.add(Long.toString(i));
            }
            assertThat(outage).as("every buffered message, in order").containsExactlyElementsOf(expected);
            assertThat(burst).as("the newest 5; the 7 oldest were dropped").containsExactly("8", "9", "10", "11", "12");
            assertThat(link("small").dropped()).isEqualTo(7);
            assertThat(link("default").dropped()).isZero();
            await().atMost(WAIT).until(() -> link("default").connected() && link("default").subscriptionsActive() == 1);
            await().atMost(WAIT).until(() -> mqttHealth("default") == org.apache.camel.health.HealthCheck.State.UP
                                             && mqttHealth("small") == org.apache.camel.health.HealthCheck.State.UP);
        }
    }

    /** The readiness check of one bridge: id skynet-mqtt-&lt;bridgeId&gt; (see camel.ReadinessCheck). */
    org.apache.camel.health.HealthCheck.State mqttHealth(String bridgeId) {
        return org.apache.camel.health.HealthCheckRegistry.get(gateway.context()).getCheck("skynet-mqtt-" + bridgeId)
                .orElseThrow().call().getState();
    }

    // --- helpers ---

    void awaitBridgesReady() {
        await("both bridges connected and subscribed").atMost(WAIT).until(() -> links().size() == 2
                && links().stream().allMatch(s -> s.connected() && s.subscriptionsActive() == 1));
    }

    RawWebSocket skynetClient() {
        return RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
    }

    SkynetHub hub() {
        return gateway.context().getRegistry().findSingleByType(SkynetHub.class);
    }

    List<MqttLink.Status> links() {
        return gateway.context().getComponent("skynet-mqtt", SkynetMqttComponent.class).linkStatuses();
    }

    MqttLink.Status link(String bridgeId) {
        return links().stream().filter(s -> s.clientId().startsWith("skynet-bridge-" + bridgeId + "-")).findFirst()
                .orElseThrow();
    }

    SkynetMqttConsumer inboundConsumer(String bridgeId) {
        Route route = gateway.context().getRoute(bridgeId + "-from-mqtt");
        assertThat(route).as("route " + bridgeId + "-from-mqtt").isNotNull();
        return (SkynetMqttConsumer) route.getConsumer();
    }

    static SkynetMessage push(RawWebSocket client) throws Exception {
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
    }

}
