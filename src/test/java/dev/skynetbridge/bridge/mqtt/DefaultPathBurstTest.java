package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.camel.SkynetConsumer;
import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.server.HubMetrics;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The out-of-the-box path, as a new user meets it: the shipped routes/mqtt-bridge.yaml, the
 * embedded broker with its default settings, and mosquitto_sub as the QoS 1 subscriber (the
 * client that lost half of a 3,000 msg/s channel while HiveMQ sent at most 50 unacknowledged
 * messages to it). A burst larger than every default queue (server send queue 4,096, consumer
 * queue 10,000, bridge buffer 10,000, broker queue 10,000 per subscriber) must arrive whole, or
 * every missing message must be counted by the stage that dropped it.
 */
class DefaultPathBurstTest {

    static final int BURST = 30_000;

    final Vertx vertx = Vertx.vertx();
    GatewayUnderTest gateway;
    Process subscriber;

    @AfterEach
    void stop() throws Exception {
        if (subscriber != null) {
            subscriber.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBurstLargerThanEveryDefaultQueueReachesAQos1MosquittoSubOrIsCountedWhereItDropped() throws Exception {
        MosquittoBroker.assumeAvailable(); // mosquitto_sub comes with the same packages
        gateway = GatewayUnderTest.start(Map.of("mqtt-bridge", Files.readString(Path.of("routes/mqtt-bridge.yaml"))),
                Map.of("skynet.mqtt.embedded.enabled", "true", "skynet.mqtt.embedded.port", "0"));
        EmbeddedMqttBroker broker = gateway.application().services().mqttBroker();
        Set<String> received = ConcurrentHashMap.newKeySet();
        subscriber = new ProcessBuilder(mosquittoSub(), "-V", "311", "-q", "1", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-t", "skynet/#").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> readLines(subscriber, received), "mosquitto_sub-reader");
        reader.setDaemon(true);
        reader.start();

        try (RawWebSocket client = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect")) {
            // mosquitto_sub says nothing when its subscription is in place: send probes until one arrives.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                client.sendBinary(send("probe"));
                return received.contains("\"probe\"");
            });
            for (int i = 0; i < BURST; i++) {
                client.sendBinary(send(i));
            }
            HubMetrics hub = gateway.application().services().hub().metrics();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(
                    () -> burstReceived(received) + droppedAnywhere(hub, broker) >= BURST);
            long dropped = droppedAnywhere(hub, broker);
            assertThat(burstReceived(received) + dropped).as("received %d, counted as dropped %d (server %d, bridge"
                    + " consumer %d, bridge outbox %d, broker %d)", burstReceived(received), dropped,
                    hub.deliveriesDropped(), consumerDrops(), outboxDrops(), broker.droppedMessages()).isEqualTo(BURST);
            assertThat(broker.droppedMessages()).as("the embedded broker dropped messages for a QoS 1 subscriber that"
                    + " keeps reading").isZero();
        }
    }

    static long burstReceived(Set<String> received) {
        return received.stream().filter(line -> line.startsWith("{\"i\":")).count();
    }

    long droppedAnywhere(HubMetrics hub, EmbeddedMqttBroker broker) {
        return hub.deliveriesDropped() + consumerDrops() + outboxDrops() + broker.droppedMessages();
    }

    long consumerDrops() {
        Route route = gateway.context().getRoute("default-to-mqtt");
        return route.getConsumer() instanceof SkynetConsumer consumer ? consumer.getDroppedCount() : 0;
    }

    long outboxDrops() {
        SkynetMqttComponent component = gateway.context().getComponent("skynet-mqtt", SkynetMqttComponent.class);
        return component.linkStatuses().stream().mapToLong(MqttLink.Status::dropped).sum();
    }

    static byte[] send(Object payload) {
        Object value = payload instanceof Integer i ? Map.of("i", i) : payload;
        return V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), value));
    }

    static String mosquittoSub() {
        return Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")) ? "/usr/bin/mosquitto_sub" : "mosquitto_sub";
    }

    static void readLines(Process process, Set<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (Exception e) {
            // the process was stopped
        }
    }
}
