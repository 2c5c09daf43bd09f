package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.SkynetTime;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.KafkaBroker;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka route templates in the real gateway, against a real KRaft broker: real websocket
 * clients send and receive, a plain Kafka client reads and writes the topics.
 */
class KafkaArchiveReplayTest {

    static KafkaBroker broker;
    static GatewayUnderTest gateway;
    static Vertx vertx;

    static String routes(String brokers) {
        return KafkaRoutes.archive("archive-all", brokers, "skynet-archive", "*", Map.of())
                + KafkaRoutes.archive("archive-weather-json", brokers, "skynet-weather-json", "weather",
                        Map.of("format", "json", "compression", "lz4"))
                + KafkaRoutes.archive("archive-burst", brokers, "skynet-burst", "burst", Map.of())
                + KafkaRoutes.replay("replay", brokers, "skynet-replay", "replay-test", Map.of());
    }

    @BeforeAll
    static void start() {
        broker = new KafkaBroker();
        broker.start();
        broker.createTopic("skynet-replay", 1);
        broker.createTopic("skynet-burst", 1);
        vertx = Vertx.vertx();
        gateway = GatewayUnderTest.start(Map.of("kafka", routes(broker.bootstrapServers())));
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

    RawWebSocket client() {
        return RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
    }

    SkynetHub hub() {
        return gateway.context().getRegistry().findSingleByType(SkynetHub.class);
    }

    static SkynetMessage push(byte[] frame) throws Exception {
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(frame)).message();
    }

    @Test
    void archivedValueIsByteForByteThePushAV2ClientReceived() throws Exception {
        try (RawWebSocket listener = client(); RawWebSocket sender = client()) {
            listener.sendBinary(V2Codec.encodeOpen(Channel.of(42)));
            await().until(() -> hub().subscriberCount(Channel.of(42)) == 1);
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("sender", "turtle-7");
            extras.put("seq", 1L);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("fuel", 80L);
            payload.put("pos", List.of(1L, -2L, 3.5));
            sender.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of(42), payload, extras, null, null)));
            byte[] seenByClient = listener.next().bytes();
            SkynetMessage seen = push(seenByClient);

            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readUntil(broker.bootstrapServers(),
                    "skynet-archive", got -> got.stream().anyMatch(r -> "n:42".equals(r.key())));
            ConsumerRecord<String, byte[]> record = records.stream().filter(r -> "n:42".equals(r.key())).findFirst()
                    .orElseThrow();
            assertThat(record.value()).as("the record value is the push the v2 client received").isEqualTo(seenByClient);
            Map<String, String> headers = KafkaRecords.headers(record);
            assertThat(headers).containsEntry("skynet-channel", "n:42")
                    .containsEntry("skynet-time", SkynetTime.formatRfc3339(seen.time()))
                    .containsEntry("skynet-format", "cbor-v2-push")
                    .containsEntry("skynet-extras", "{\"sender\":\"turtle-7\",\"seq\":1}")
                    .containsKey("skynet-id");
            assertThat(headers.get("skynet-id")).isNotBlank();
            assertThat(headers.keySet()).as("no Camel or Skynet* internals leak into the record")
                    .allMatch(key -> key.startsWith("skynet-"));
            assertThat(record.timestamp()).isEqualTo(seen.time().toEpochMilli());
        }
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerMessage() throws Exception {
        try (RawWebSocket sender = client()) {
            sender.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of("weather"),
                    Map.of("rain", true), new LinkedHashMap<>(Map.of("from", "station")), null, null)));
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("not-weather"), "ignored")));
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("weather"), "second")));
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readUntil(broker.bootstrapServers(),
                    "skynet-weather-json", got -> got.size() >= 2);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("s:weather", "s:weather");
            Map<?, ?> first = (Map<?, ?>) JsonValues.parse(records.get(0).value());
            assertThat(first.get("channel")).isEqualTo("s:weather");
            assertThat(first.get("message")).isEqualTo(Map.of("rain", true));
            assertThat(first.get("extras")).isEqualTo(Map.of("from", "station"));
            assertThat(SkynetTime.parseRfc3339((String) first.get("time"))).isNotNull();
            assertThat(first.get("id")).isEqualTo(KafkaRecords.headers(records.get(0)).get("skynet-id"));
            assertThat(KafkaRecords.headers(records.get(0))).containsEntry("skynet-format", "json");
            assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).contains("\"message\":\"second\"");
        }
    }

    @Test
    void replayedRecordsReachWebsocketClientsOnTheirOriginalChannelAndAreNotArchivedAgain() throws Exception {
        try (RawWebSocket listener = client(); RawWebSocket sender = client()) {
            listener.sendBinary(V2Codec.encodeOpen(Channel.of(77)));
            listener.sendBinary(V2Codec.encodeOpen(Channel.of("77")));
            await().until(() -> hub().subscriberCount(Channel.of(77)) == 1 && hub().subscriberCount(Channel.of("77")) == 1);

            Instant then = Instant.parse("2026-01-02T03:04:05Z");
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("sender", "old-turtle");
            SkynetMessage cbor = new SkynetMessage(Channel.of(77), Map.of("fuel", 12L), extras, then, "old-1");
            SkynetMessage json = new SkynetMessage(Channel.of("77"), "{\"stays\":\"text\"}", null, then, "old-2");
            KafkaRecords.produce(broker.bootstrapServers(), List.of(
                    KafkaRecords.archived("skynet-replay", ArchiveRecordCodec.encode(cbor, ArchiveValueFormat.CBOR)),
                    KafkaRecords.archived("skynet-replay", ArchiveRecordCodec.encode(json, ArchiveValueFormat.JSON))));

            SkynetMessage first = push(listener.next().bytes());
            assertThat(first.channel()).isEqualTo(Channel.of(77));
            assertThat(first.payload()).isEqualTo(Map.of("fuel", 12L));
            assertThat(first.extras()).containsExactly(Map.entry("sender", "old-turtle"));
            SkynetMessage second = push(listener.next().bytes());
            assertThat(second.channel()).isEqualTo(Channel.of("77"));
            assertThat(second.payload()).as("a text payload that looks like JSON stays text").isEqualTo("{\"stays\":\"text\"}");

            // The archive (bridgeId kafka, as the replay) did not get the replayed messages: the next record
            // on n:77 in the archive is the control message a game client sends now.
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(77), "control")));
            List<ConsumerRecord<String, byte[]>> archived = KafkaRecords.readUntil(broker.bootstrapServers(),
                    "skynet-archive", got -> got.stream().anyMatch(r -> "n:77".equals(r.key())));
            List<Object> onChannel77 = archived.stream().filter(r -> r.key().endsWith(":77"))
                    .map(r -> decode(r).payload()).toList();
            assertThat(onChannel77).containsExactly("control");
        }
    }

    @Test
    void aBurstOfFiveThousandMessagesArrivesCompleteAndInOrder() throws Exception {
        int burst = 5_000;
        try (RawWebSocket sender = client()) {
            for (long seq = 0; seq < burst; seq++) {
                sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("burst"), Map.of("seq", seq))));
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readUntil(broker.bootstrapServers(),
                    "skynet-burst", got -> got.size() >= burst);
            List<Long> sequence = records.stream().map(record -> (Long) ((Map<?, ?>) decode(record).payload())
                    .get("seq")).toList();
            assertThat(sequence).as("every message once, in the order sent")
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, burst).boxed().toList());
            assertThat(KafkaRecords.endOffset(broker.bootstrapServers(), "skynet-burst")).isEqualTo(burst);
            KafkaBridgeStatus status = (KafkaBridgeStatus) org.apache.camel.health.HealthCheckRegistry
                    .get(gateway.context()).getCheck("skynet-kafka-archive-skynet-burst").orElseThrow();
            await().until(() -> status.deliveredCount() == burst);
            assertThat(status.droppedCount()).isZero();
        }
    }

    static SkynetMessage decode(ConsumerRecord<String, byte[]> record) {
        try {
            return ArchiveRecordCodec.decode(record.value(), KafkaRecords.headers(record));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
