package dev.skynetbridge.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cbor.CborWriter;
import dev.skynetbridge.protocol.v2.V2Codec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterBatchTest {

    @Test
    void messagesComeBackInOrderWithTheirSequenceNumbersAndBytesIntact() throws Exception {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("zeta", 1L);
        extras.put("alpha", "second key stays second");
        List<SkynetMessage> messages = new ArrayList<>();
        messages.add(new SkynetMessage(Channel.of(5), Map.of("bytes", new byte[] {1, 2}), extras,
                Instant.parse("2026-12-02T07:00:00.123456789Z"), "m-1"));
        messages.add(new SkynetMessage(Channel.of("5"), 1.5, Map.of(), Instant.parse("2026-12-02T07:00:01Z"), "m-2"));
        messages.add(new SkynetMessage(Channel.WILDCARD, null, Map.of(), Instant.EPOCH, "m-3"));

        ClusterBatch decoded = ClusterBatch.decode(new ClusterBatch("node-1", -7L, 41L, messages).encode());

        assertThat(decoded.node()).isEqualTo("node-1");
        assertThat(decoded.instance()).isEqualTo(-7L);
        assertThat(decoded.firstSequence()).isEqualTo(41L);
        assertThat(decoded.lastSequence()).isEqualTo(43L);
        assertThat(decoded.messages()).hasSize(3);
        for (int i = 0; i < messages.size(); i++) {
            SkynetMessage sent = messages.get(i);
            SkynetMessage got = decoded.messages().get(i);
            assertThat(got.channel()).isEqualTo(sent.channel());
            assertThat(got.id()).isEqualTo(sent.id());
            assertThat(got.time()).isEqualTo(sent.time());
            assertThat(V2Codec.encodePush(got)).as("what clients receive, byte for byte").isEqualTo(
                    V2Codec.encodePush(sent));
        }
        assertThat(decoded.messages().get(0).extras().keySet()).containsExactly("zeta", "alpha");
    }

    @Test
    void aVersionOneEnvelopeIsReadAsABatchOfOne() throws Exception {
        SkynetMessage message = new SkynetMessage(Channel.of(3), "hi", Map.of(), Instant.EPOCH, "m-9");
        ClusterBatch decoded = ClusterBatch.decode(new ClusterEnvelope("old", 5L, 12L, message).encode());

        assertThat(decoded.node()).isEqualTo("old");
        assertThat(decoded.firstSequence()).isEqualTo(12L);
        assertThat(decoded.messages()).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo("hi"));
    }

    @Test
    void otherBytesOnTheSubjectsAreRefusedWithAReason() {
        assertThatThrownBy(() -> ClusterBatch.decode("hello".getBytes())).isInstanceOf(ProtocolException.class);
        byte[] empty = new CborWriter().writeArrayHead(5).writeLong(2).writeText("n").writeLong(1).writeLong(1)
                .writeArrayHead(0).toByteArray();
        assertThatThrownBy(() -> ClusterBatch.decode(empty)).hasMessageContaining("no messages");
        byte[] shortMessage = new CborWriter().writeArrayHead(5).writeLong(2).writeText("n").writeLong(1)
                .writeLong(1).writeArrayHead(1).writeArrayHead(1).writeLong(3).toByteArray();
        assertThatThrownBy(() -> ClusterBatch.decode(shortMessage)).hasMessageContaining("malformed");
        byte[] laterVersion = new CborWriter().writeArrayHead(5).writeLong(3).writeText("n").writeLong(1)
                .writeLong(1).writeArrayHead(0).toByteArray();
        assertThatThrownBy(() -> ClusterBatch.decode(laterVersion)).hasMessageContaining("same release");
    }
}
