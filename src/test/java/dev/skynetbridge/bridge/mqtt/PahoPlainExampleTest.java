package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

/**
 * routes/examples/paho-mqtt5-plain.yaml, unchanged, in the real gateway: camel-paho-mqtt5 endpoints in a
 * user's own routes carry Skynet messages both ways, and a broker that is down at start-up only delays them
 * (Camel's supervising route controller starts them when it is up).
 */
class PahoPlainExampleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theGatewayStartsWhileTheBrokerIsDownAndTheRoutesStartWhenItComesUp() throws Exception {
        MosquittoBroker.assumeAvailable();
        String yaml = Files.readString(Path.of("routes/examples/paho-mqtt5-plain.yaml"));
        Vertx vertx = Vertx.vertx();
        try (MosquittoBroker broker = new MosquittoBroker();
             GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("paho-plain", yaml),
                     Map.of("skynet.mqtt.url", broker.serverUri()))) {
            // paho-mqtt5 connects when its route starts: both routes fail to, and the gateway runs anyway.
            var routes = gateway.context().getRouteController();
            assertThat(routes.getRouteStatus("furnace-to-mqtt").isStarted()).isFalse();
            assertThat(routes.getRouteStatus("mqtt-to-lamp").isStarted()).isFalse();
            assertThat(HealthCheckHelper.invokeReadiness(gateway.context()))
                    .anyMatch(result -> result.getState() == HealthCheck.State.DOWN);

            broker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> routes.getRouteStatus("furnace-to-mqtt").isStarted()
                    && routes.getRouteStatus("mqtt-to-lamp").isStarted());
            try (MqttTestClient mqtt = MqttTestClient.connect(broker.serverUri());
                 RawWebSocket game = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
                mqtt.subscribe("minecraft/furnace");
                game.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of("furnace"), Map.of("temp", 790L),
                        Map.of(), null, null)));
                MqttTestClient.Received out = mqtt.poll(WAIT);
                assertThat(out).as("the furnace message once the route started").isNotNull();
                assertThat(out.payloadText()).isEqualTo("{\"temp\":790}");
            }
        } finally {
            vertx.close();
        }
    }

    @Test
    void aChannelReachesItsTopicAsJsonAndATopicReachesItsChannel() throws Exception {
        String yaml = Files.readString(Path.of("routes/examples/paho-mqtt5-plain.yaml"));
        Vertx vertx = Vertx.vertx();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("paho-plain", yaml), Map.of(
                     "skynet.mqtt.embedded.enabled", "true",
                     "skynet.mqtt.embedded.port", "0"));
             MqttTestClient mqtt = MqttTestClient.connect(gateway.application().services().mqttBrokerUrl());
             RawWebSocket game = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            await().atMost(WAIT).until(() -> gateway.context().getRouteController()
                    .getRouteStatus("mqtt-to-lamp") == ServiceStatus.Started);
            mqtt.subscribe("minecraft/furnace");

            game.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of("furnace"), Map.of("temp", 812L),
                    Map.of(), null, null)));
            MqttTestClient.Received out = mqtt.poll(WAIT);
            assertThat(out).as("the furnace message on MQTT").isNotNull();
            assertThat(out.topic()).isEqualTo("minecraft/furnace");
            assertThat(out.payloadText()).isEqualTo("{\"temp\":812}");

            SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
            game.sendBinary(V2Codec.encodeOpen(Channel.of("lamp")));
            await().atMost(WAIT).until(() -> hub.subscriberCount(Channel.of("lamp")) == 1);
            mqtt.publish("minecraft/lamp/set", "{\"on\":true}".getBytes(StandardCharsets.UTF_8));
            SkynetMessage in = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(game.next().bytes())).message();
            assertThat(in.channel()).isEqualTo(Channel.of("lamp"));
            assertThat(in.payload()).isEqualTo(Map.of("on", true));
        } finally {
            vertx.close();
        }
    }
}
