package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveRecordCodecTest {

    static final Instant TIME = Instant.parse("2026-11-20T18:30:01.250Z");

    static SkynetMessage message() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("sender", "turtle");
        extras.put("id", 7L); // collides with nothing: JSON keeps extras apart
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("fuel", 80L);
        payload.put("raw", new byte[] {(byte) 0xff, 0});
        payload.put("items", List.of("coal", 2.5));
        return new SkynetMessage(Channel.of(42), payload, extras, TIME, "m-1");
    }

    @Test
    void cborValueIsTheV2PushAndHeadersDescribeIt() {
        ArchiveRecord record = ArchiveRecordCodec.encode(message(), ArchiveValueFormat.CBOR);
        assertThat(record.key()).isEqualTo("n:42");
        assertThat(record.value()).isEqualTo(V2Codec.encodePush(message()));
        assertThat(record.timestampMillis()).isEqualTo(TIME.toEpochMilli());
        assertThat(record.headers()).containsExactly(
                Map.entry("skynet-channel", "n:42"),
                Map.entry("skynet-time", "2026-11-20T18:30:01.250Z"),
                Map.entry("skynet-id", "m-1"),
                Map.entry("skynet-format", "cbor-v2-push"),
                Map.entry("skynet-extras", "{\"sender\":\"turtle\",\"id\":7}"));
    }

    @Test
    void stringChannelsAndMessagesWithoutExtrasOrId() {
        SkynetMessage plain = new SkynetMessage(Channel.of("42"), "hi", null, TIME, null);
        ArchiveRecord record = ArchiveRecordCodec.encode(plain, ArchiveValueFormat.CBOR);
        assertThat(record.key()).isEqualTo("s:42");
        assertThat(record.headers()).doesNotContainKeys("skynet-extras", "skynet-id");
    }

    @Test
    void cborRecordsDecodeToTheSameMessage() throws Exception {
        ArchiveRecord record = ArchiveRecordCodec.encode(message(), ArchiveValueFormat.CBOR);
        SkynetMessage decoded = ArchiveRecordCodec.decode(record.value(), record.headers());
        assertSameMessage(decoded);
        assertThat(decoded.id()).isEqualTo("m-1");
        // Without headers the value alone is enough (the id lives in the header for CBOR).
        SkynetMessage bare = ArchiveRecordCodec.decode(record.value(), null);
        assertThat(bare.channel()).isEqualTo(Channel.of(42));
        assertThat(bare.id()).isNull();
    }

    @Test
    void jsonValueKeepsEverythingApartAndDecodesBack() throws Exception {
        ArchiveRecord record = ArchiveRecordCodec.encode(message(), ArchiveValueFormat.JSON);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"channel\":\"n:42\",\"message\":{\"fuel\":80,\"raw\":{\"$bytes\":\"/wA=\"},\"items\":[\"coal\",2.5]},"
                + "\"time\":\"2026-11-20T18:30:01.250Z\",\"id\":\"m-1\",\"extras\":{\"sender\":\"turtle\",\"id\":7}}");
        assertThat(record.headers()).containsEntry("skynet-format", "json");
        SkynetMessage decoded = ArchiveRecordCodec.decode(record.value(), Map.of());
        assertSameMessage(decoded);
        assertThat(decoded.id()).isEqualTo("m-1");
    }

    static void assertSameMessage(SkynetMessage decoded) {
        assertThat(decoded.channel()).isEqualTo(Channel.of(42));
        assertThat(decoded.time()).isEqualTo(TIME);
        assertThat(decoded.extras()).containsExactly(Map.entry("sender", "turtle"), Map.entry("id", 7L));
        Map<?, ?> payload = (Map<?, ?>) decoded.payload();
        assertThat(payload.get("fuel")).isEqualTo(80L);
        assertThat((byte[]) payload.get("raw")).containsExactly(0xff, 0);
        assertThat(payload.get("items")).isEqualTo(List.of("coal", 2.5));
    }

    @Test
    void foreignRecordsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ArchiveRecordCodec.decode("{\"temp\":3}".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("\"channel\"");
        assertThatThrownBy(() -> ArchiveRecordCodec.decode(new byte[0], null))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ArchiveRecordCodec.decode(V2Codec.encodeError("x"), Map.of()))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ArchiveRecordCodec.decode(JsonValues.toJsonBytes(Map.of("channel", "42", "message", 1)),
                null)).isInstanceOf(ProtocolException.class).hasMessageContaining("canonical");
    }

    @Test
    void formatNamesAreValidated() {
        assertThat(ArchiveValueFormat.parse(" JSON ")).isEqualTo(ArchiveValueFormat.JSON);
        assertThatThrownBy(() -> ArchiveValueFormat.parse("avro")).hasMessageContaining("use cbor").hasMessageContaining("json");
    }
}
