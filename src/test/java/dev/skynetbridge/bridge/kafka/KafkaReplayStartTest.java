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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * skynet-kafka-replay seeks to startOffset / startTime instead of reading the archive from its
 * beginning: a real KRaft broker holds archives written in the archive's record layout, the real
 * gateway replays them, a real websocket client receives. The replay's own "read" count (since the
 * route started) shows that records before the start were not fetched.
 */
class KafkaReplayStartTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /** Record 6 of the time archive is half a millisecond after T0+6min; the start 0.7 ms after. */
    static final Instant RECORD_6_TIME = T0.plus(Duration.ofMinutes(6)).plusNanos(500_000);
    static final Instant START_TIME = T0.plus(Duration.ofMinutes(6)).plusNanos(700_000);

    static KafkaBroker broker;
    static GatewayUnderTest gateway;
    static Vertx vertx;

    static String replay(String routeId, String topic, String parameter, String value) {
        // A stopping consumer waits out its poll: shorter polls keep restarts and shutdown short.
        return KafkaRoutes.replay(routeId, broker.bootstrapServers(), topic, routeId,
                Map.of(parameter, value, "pollTimeoutMs", "1000"));
    }

    static ProducerRecord<String, byte[]> archived(String topic, Integer partition, Channel channel, long seq,
            Instant time) {
        SkynetMessage message = new SkynetMessage(channel, Map.of("seq", seq), Map.of(), time, "id-" + seq);
        return KafkaRecords.archived(topic, partition, ArchiveRecordCodec.encode(message, ArchiveValueFormat.CBOR));
    }

    @BeforeAll
    static void start() throws Exception {
        broker = new KafkaBroker();
        broker.start();
        broker.createTopic("archive-by-offset", 1);
        broker.createTopic("archive-by-time", 1);
        broker.createTopic("archive-two-partitions", 2);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (long seq = 0; seq < 10; seq++) {
            records.add(archived("archive-by-offset", 0, Channel.of("by-offset"), seq,
                    T0.plus(Duration.ofMinutes(seq))));
            records.add(archived("archive-by-time", 0, Channel.of("by-time"), seq,
                    seq == 6 ? RECORD_6_TIME : T0.plus(Duration.ofMinutes(seq))));
        }
        for (long seq = 0; seq < 5; seq++) {
            records.add(archived("archive-two-partitions", 0, Channel.of("left"), seq, T0.plus(Duration.ofMinutes(seq))));
            records.add(archived("archive-two-partitions", 1, Channel.of("right"), seq * 2,
                    T0.plus(Duration.ofMinutes(seq * 2))));
        }
        KafkaRecords.produce(broker.bootstrapServers(), records);
        vertx = Vertx.vertx();
        gateway = GatewayUnderTest.start(Map.of("replays",
                replay("replay-by-offset", "archive-by-offset", "startOffset", "6")
                + replay("replay-by-time", "archive-by-time", "startTime", START_TIME.toString())
                + replay("replay-two-partitions", "archive-two-partitions", "startTime",
                        T0.plus(Duration.ofMinutes(3)).toString())));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** The replay's counters, from its health check (records read, skipped, delivered into Skynet). */
    static Map<String, Object> counters(String topic) {
        HealthCheck check = HealthCheckRegistry.get(gateway.context()).getCheck("skynet-kafka-replay-" + topic)
                .orElseThrow();
        return check.call().getDetails();
    }

    static long count(String topic, String counter) {
        return ((Number) counters(topic).get(counter)).longValue();
    }

    /**
     * Waits for the replay's first run (it started with the gateway, before any listener), then
     * subscribes a listener and restarts the route: every start seeks again.
     */
    static RawWebSocket listenAndReplayAgain(String routeId, String topic, long expectedPerRun, Channel... channels)
            throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> count(topic, "delivered") == expectedPerRun);
        RawWebSocket listener = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
        SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
        for (Channel channel : channels) {
            listener.sendBinary(V2Codec.encodeOpen(channel));
        }
        await().until(() -> java.util.Arrays.stream(channels).allMatch(c -> hub.subscriberCount(c) == 1));
        gateway.restartRoute(routeId);
        return listener;
    }

    static List<Long> sequence(List<SkynetMessage> messages, Channel channel) {
        return messages.stream().filter(m -> m.channel().equals(channel))
                .map(m -> (Long) ((Map<?, ?>) m.payload()).get("seq")).toList();
    }

    static List<SkynetMessage> receive(RawWebSocket listener, int count) throws Exception {
        List<SkynetMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(KafkaArchiveReplayTest.push(listener.next().bytes()));
        }
        return messages;
    }

    @Test
    void fromAnOffsetOnlyTheRecordsFromThereAreReadAndReplayedInOrder() throws Exception {
        try (RawWebSocket listener = listenAndReplayAgain("replay-by-offset", "archive-by-offset", 4,
                Channel.of("by-offset"))) {
            List<SkynetMessage> replayed = receive(listener, 4);

            assertThat(sequence(replayed, Channel.of("by-offset"))).containsExactly(6L, 7L, 8L, 9L);
            assertThat(listener.poll(300)).as("nothing before offset 6").isNull();
            Map<String, Object> counters = counters("archive-by-offset");
            assertThat(counters.get("read")).as("offsets 0-5 were never fetched").isEqualTo(4L);
            assertThat(counters.get("skipped")).isEqualTo(0L);
        }
    }

    @Test
    void fromATimeTheFirstRecordAtThatTimeIsWhereReadingStarts() throws Exception {
        try (RawWebSocket listener = listenAndReplayAgain("replay-by-time", "archive-by-time", 3,
                Channel.of("by-time"))) {
            List<SkynetMessage> replayed = receive(listener, 3);

            assertThat(sequence(replayed, Channel.of("by-time"))).containsExactly(7L, 8L, 9L);
            assertThat(listener.poll(300)).isNull();
            Map<String, Object> counters = counters("archive-by-time");
            // Kafka timestamps are milliseconds: record 6 shares the start's millisecond, so the seek lands on it;
            // its Skynet time, 0.2 ms before the start, skips it. Records 0-5 are never fetched.
            assertThat(counters.get("read")).isEqualTo(4L);
            assertThat(counters.get("skipped")).isEqualTo(1L);
        }
    }

    @Test
    void fromATimeEachPartitionStartsAtItsOwnOffset() throws Exception {
        Channel left = Channel.of("left");
        Channel right = Channel.of("right");
        try (RawWebSocket listener = listenAndReplayAgain("replay-two-partitions", "archive-two-partitions", 5, left,
                right)) {
            List<SkynetMessage> replayed = receive(listener, 5);

            // Partition 0 (minutes 0-4) starts at offset 3, partition 1 (minutes 0, 2, ..., 8) at offset 2.
            assertThat(sequence(replayed, left)).containsExactly(3L, 4L);
            assertThat(sequence(replayed, right)).containsExactly(4L, 6L, 8L);
            assertThat(listener.poll(300)).isNull();
            assertThat(counters("archive-two-partitions").get("read")).isEqualTo(5L);
        }
    }
}
