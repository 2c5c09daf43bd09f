package dev.skynetbridge.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cbor.CborWriter;
import dev.skynetbridge.protocol.v2.V2Codec;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterEnvelopeTest {

    @Test
    void aMessageComesBackWithItsIdTimeExtraKeysAndPayloadIntact() throws Exception {
        Map<Object, Object> payload = new LinkedHashMap<>();
        payload.put("bytes", new byte[] {1, 2, 3});
        payload.put("half", 1.5);
        payload.put("double", 0.1);
        payload.put("long", Long.MIN_VALUE);
        payload.put("big", new BigInteger("18446744073709551615"));
        payload.put(7L, List.of("x", true));
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("zeta", 1L);
        extras.put("alpha", "second key stays second");
        extras.put("time", "a sender's own time key");
        for (Channel channel : List.of(Channel.of(5), Channel.of("5"), Channel.WILDCARD)) {
            SkynetMessage message = new SkynetMessage(channel, payload, extras,
                    Instant.parse("2026-12-02T07:00:00.123456789Z"), "mabc-1z");
            ClusterEnvelope decoded = ClusterEnvelope.decode(new ClusterEnvelope("node-1", -42L, 9L, message).encode());

            assertThat(decoded.node()).isEqualTo("node-1");
            assertThat(decoded.instance()).isEqualTo(-42L);
            assertThat(decoded.sequence()).isEqualTo(9L);
            assertThat(decoded.message().channel()).isEqualTo(channel);
            assertThat(decoded.message().id()).isEqualTo("mabc-1z");
            assertThat(decoded.message().time()).isEqualTo(message.time());
            assertThat(decoded.message().extras().keySet()).containsExactly("zeta", "alpha", "time");
            // What clients receive is what they would have received on the entry node, byte for byte.
            assertThat(V2Codec.encodePush(decoded.message())).isEqualTo(V2Codec.encodePush(message));
        }
    }

    @Test
    void otherBytesOnTheSubjectsAreRefusedWithAReason() {
        assertThatThrownBy(() -> ClusterEnvelope.decode("hello".getBytes()))
                .isInstanceOf(ProtocolException.class);
        byte[] otherVersion = new CborWriter().writeArrayHead(10).writeLong(2).writeText("n").writeLong(1)
                .writeLong(1).writeLong(1).writeText("id").writeLong(0).writeLong(0).writeValue(Map.of())
                .writeValue(null).toByteArray();
        assertThatThrownBy(() -> ClusterEnvelope.decode(otherVersion)).hasMessageContaining("same release");
    }
}
