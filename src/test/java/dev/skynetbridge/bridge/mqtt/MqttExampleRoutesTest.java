package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.mqtt.MqttUserProperties;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped MQTT examples, unchanged, in the real gateway against real brokers: the one-direction
 * Kamelets (skynet-to-mqtt.yaml, mqtt-to-skynet.yaml), the jq/JSONPath example
 * (reactor-temp-to-mqtt.yaml) on the embedded broker, and mqtt-bridge-external.yaml against a Mosquitto
 * that requires a password.
 */
class MqttExampleRoutesTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    static String example(String name) throws Exception {
        return Files.readString(Path.of("routes/examples", name + ".yaml"));
    }

    static SkynetMessage push(RawWebSocket client) throws Exception {
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
    }

    static Map<String, String> files(String... names) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : names) {
            files.put(name, example(name));
        }
        return files;
    }

    @Test
    void theOneDirectionKameletsAndTheJqExampleOnTheEmbeddedBroker() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(files("skynet-to-mqtt", "mqtt-to-skynet",
                        "reactor-temp-to-mqtt"), Map.of("skynet.mqtt.embedded.enabled", "true",
                        "skynet.mqtt.embedded.port", "0"));
             MqttTestClient mqtt = MqttTestClient.connect(gateway.application().services().mqttBrokerUrl());
             RawWebSocket game = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
             RawWebSocket computer = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
            await().atMost(WAIT).until(() -> gateway.context().getRouteController()
                    .getRouteStatus("reactor-temp-to-mqtt") == ServiceStatus.Started);
            mqtt.subscribe("minecraft/telemetry/s/#"); // not the bridge's retained status topic
            mqtt.subscribe("skynet/reactor/temp");

            // skynet-to-mqtt.yaml: a table on channel "telemetry" reaches its topic as JSON with the properties.
            game.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("telemetry"), Map.of("fuel", 5L))));
            MqttTestClient.Received telemetry = mqtt.poll(WAIT);
            assertThat(telemetry).as("telemetry on MQTT").isNotNull();
            assertThat(telemetry.topic()).isEqualTo("minecraft/telemetry/s/telemetry");
            assertThat(telemetry.payloadText()).isEqualTo("{\"fuel\":5}");
            assertThat(telemetry.userProperties()).containsEntry(MqttUserProperties.CHANNEL, "s:telemetry")
                    .containsEntry(MqttUserProperties.BRIDGE_ID, "telemetry");

            // reactor-temp-to-mqtt.yaml: only temp, on its own topic; a table without temp is skipped.
            game.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("temp", 812L, "fuel", 3L))));
            MqttTestClient.Received temp = mqtt.poll(WAIT);
            assertThat(temp).as("the reactor's temp").isNotNull();
            assertThat(temp.topic()).isEqualTo("skynet/reactor/temp");
            assertThat(temp.payloadText()).isEqualTo("812");
            game.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("fuel", 2L))));
            game.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("temp", 790.5, "fuel", 1L))));
            MqttTestClient.Received next = mqtt.poll(WAIT);
            assertThat(next).isNotNull();
            assertThat(next.payloadText()).as("the table without temp published nothing").isEqualTo("790.5");

            // mqtt-to-skynet.yaml: JSON becomes a table, other text stays text, each on its own channel.
            computer.sendBinary(V2Codec.encodeOpen(Channel.of(7)));
            computer.sendBinary(V2Codec.encodeOpen(Channel.of("lamp")));
            await().atMost(WAIT).until(() -> hub.subscriberCount(Channel.of(7)) == 1
                    && hub.subscriberCount(Channel.of("lamp")) == 1);
            await().atMost(WAIT).until(() -> gateway.context().getRouteController()
                    .getRouteStatus("commands-from-mqtt") == ServiceStatus.Started);
            mqtt.publish("minecraft/commands/n/7", "{\"cmd\":\"dig\",\"n\":3}".getBytes(StandardCharsets.UTF_8));
            SkynetMessage dig = push(computer);
            assertThat(dig.channel()).isEqualTo(Channel.of(7));
            assertThat(dig.payload()).isEqualTo(Map.of("cmd", "dig", "n", 3L));
            mqtt.publish("minecraft/commands/s/lamp", "ON".getBytes(StandardCharsets.UTF_8));
            SkynetMessage lamp = push(computer);
            assertThat(lamp.channel()).isEqualTo(Channel.of("lamp"));
            assertThat(lamp.payload()).isEqualTo("ON");
        }
    }

    @Test
    void theExternalBridgeExampleLogsInWithItsCredentialsBothWays() throws Exception {
        MosquittoBroker.assumeAvailable();
        String password = "s3cr&t+pw=1%";
        try (MosquittoBroker broker = MosquittoBroker.withPassword("home", password)) {
            broker.start();
            try (GatewayUnderTest gateway = GatewayUnderTest.start(files("mqtt-bridge-external"), Map.of(
                         "mqtt.url", broker.serverUri(), "mqtt.user", "home", "mqtt.password", password));
                 MqttTestClient mqtt = MqttTestClient.connect(broker.serverUri(), "home", password);
                 RawWebSocket game = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
                SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
                assertThat(gateway.context().getRoute("home-from-mqtt")).as("the second route of the bridge").isNotNull();
                await().atMost(WAIT).until(() -> {
                    var links = gateway.context().getComponent("skynet-mqtt", SkynetMqttComponent.class).linkStatuses();
                    return links.size() == 1 && links.get(0).connected() && links.get(0).subscriptionsActive() == 1;
                });
                mqtt.subscribe("home/skynet/n/#"); // channel topics, not the retained status
                mqtt.subscribe("home/skynet/s/#");
                game.sendBinary(V2Codec.encodeOpen(Channel.of("door")));
                await().atMost(WAIT).until(() -> hub.subscriberCount(Channel.of("door")) == 1);

                game.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(5), Map.of("open", true))));
                MqttTestClient.Received out = mqtt.poll(WAIT);
                assertThat(out).as("Skynet to MQTT through the password-protected broker").isNotNull();
                assertThat(out.topic()).isEqualTo("home/skynet/n/5");
                assertThat(out.payloadText()).isEqualTo("{\"open\":true}");

                mqtt.publish("home/skynet/s/door", "{\"lock\":true}".getBytes(StandardCharsets.UTF_8));
                SkynetMessage in = push(game);
                assertThat(in.channel()).isEqualTo(Channel.of("door"));
                assertThat(in.payload()).isEqualTo(Map.of("lock", true));
            }
        }
    }
}
