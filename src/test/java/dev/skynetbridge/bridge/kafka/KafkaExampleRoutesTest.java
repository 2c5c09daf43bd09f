package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.KafkaBroker;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped example files, unchanged, in the real gateway: one gateway archives with
 * routes/examples/kafka-archive.yaml, a later one replays the topic with kafka-replay.yaml.
 */
class KafkaExampleRoutesTest {

    static KafkaBroker broker;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker();
        broker.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
        broker.close();
    }

    static GatewayUnderTest gatewayWith(String example) throws Exception {
        String yaml = Files.readString(Path.of("routes/examples", example + ".yaml"));
        return GatewayUnderTest.start(Map.of(example, yaml), Map.of("skynet.kafka.brokers", broker.bootstrapServers()));
    }

    @Test
    void whatTheArchiveExampleWroteTheReplayExampleSendsBackIntoSkynet() throws Exception {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("sender", "miner-3");
        try (GatewayUnderTest archiving = gatewayWith("kafka-archive");
                RawWebSocket game = RawWebSocket.connect(vertx, archiving.skynetPort(), "/connect/")) {
            game.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of("ores"), Map.of("iron", 3L), extras, null,
                    null)));
            KafkaRecords.readUntil(broker.bootstrapServers(), "skynet", got -> got.size() == 1);
        }
        try (GatewayUnderTest replaying = gatewayWith("kafka-replay");
                RawWebSocket listener = RawWebSocket.connect(vertx, replaying.skynetPort(), "/connect/")) {
            SkynetHub hub = replaying.context().getRegistry().findSingleByType(SkynetHub.class);
            listener.sendBinary(V2Codec.encodeOpen(Channel.of("ores")));
            await().until(() -> hub.subscriberCount(Channel.of("ores")) == 1);
            // The replay may have run before the listener subscribed: restart it so it reads the topic again.
            replaying.restartRoute("kafka-replay");
            SkynetMessage replayed = KafkaArchiveReplayTest.push(listener.next().bytes());
            assertThat(replayed.channel()).isEqualTo(Channel.of("ores"));
            assertThat(replayed.payload()).isEqualTo(Map.of("iron", 3L));
            assertThat(replayed.extras()).containsExactly(Map.entry("sender", "miner-3"));
        }
    }
}
