package dev.skynetbridge.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.cbor.CborConstants;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.cbor.CborWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAnnouncementTest {

    private static final NodeAnnouncement GATEWAY_2 = new NodeAnnouncement("gateway-2", -7_123_456_789_012_345L,
            "1.4.0", Instant.ofEpochMilli(1_764_700_000_123L), 2000, false, 3, 17, 42, 1_000_000, 999, 2, 4, 3,
            "nats://10.0.0.5:14222");

    @Test
    void anAnnouncementComesBackAsItWent() throws ProtocolException {
        assertThat(NodeAnnouncement.decode(GATEWAY_2.encode())).isEqualTo(GATEWAY_2);
        NodeAnnouncement leaving = GATEWAY_2.asLeaving();
        assertThat(leaving.leaving()).isTrue();
        assertThat(NodeAnnouncement.decode(leaving.encode())).isEqualTo(leaving);
    }

    @Test
    void itIsAMapWithTextKeysAndAFormatVersion() throws ProtocolException {
        Map<?, ?> fields = (Map<?, ?>) new CborReader(GATEWAY_2.encode()).readValue();
        assertThat(fields.get("v")).isEqualTo(1L);
        List<Object> keys = List.copyOf(fields.keySet());
        assertThat(keys).containsExactly("v", "node", "instance", "version", "started", "interval", "leaving",
                "clientsV1", "clientsV2", "channels", "sent", "received", "dropped", "routes", "routesStarted", "nats");
        assertThat(GATEWAY_2.encode().length).as("small: one per node per interval").isLessThan(300);
    }

    @Test
    void aLaterVersionWithMoreKeysIsReadForWhatThisOneKnows() throws ProtocolException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("v", 3L);
        fields.put("node", "gateway-9");
        fields.put("instance", 5L);
        fields.put("clientsV2", 8L);
        fields.put("somethingNew", Map.of("a", 1L));
        NodeAnnouncement read = NodeAnnouncement.decode(map(fields));
        assertThat(read.node()).isEqualTo("gateway-9");
        assertThat(read.instance()).isEqualTo(5L);
        assertThat(read.clientsV2()).isEqualTo(8L);
        assertThat(read.clientsV1()).isZero();
        assertThat(read.routes()).as("not said: unknown").isEqualTo(-1);
        assertThat(read.startedAt()).isNull();
        assertThat(read.leaving()).isFalse();
        assertThat(read.nats()).isEmpty();
    }

    @Test
    void whatIsNotAnAnnouncementIsRefusedWithTheReason() {
        assertThatThrownBy(() -> NodeAnnouncement.decode(new byte[] {(byte) 0xff}))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> NodeAnnouncement.decode("hello".getBytes()))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> NodeAnnouncement.decode(new CborWriter().writeValue(List.of(1L))
                .toByteArray())).hasMessageContaining("a CBOR map");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("node", "a", "instance", 1L))))
                .hasMessageContaining("format version null");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 0L, "node", "a", "instance", 1L))))
                .hasMessageContaining("format version 0");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 1L, "instance", 1L))))
                .hasMessageContaining("without a node id");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 1L, "node", "", "instance", 1L))))
                .hasMessageContaining("without a node id");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 1L, "node", "a"))))
                .hasMessageContaining("without its instance");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 1L, "node", "a", "instance", 1L,
                "clientsV2", "many")))).hasMessageContaining("'clientsV2' is not a whole number");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 1L, "node", "a", "instance", 1L,
                "leaving", 1L)))).hasMessageContaining("'leaving'");
        assertThatThrownBy(() -> NodeAnnouncement.decode(map(Map.of("v", 1L, "node", "x".repeat(257),
                "instance", 1L)))).hasMessageContaining("without a node id of 1 to 256");
        assertThatThrownBy(() -> NodeAnnouncement.decode(new byte[NodeAnnouncement.MAX_BYTES + 1]))
                .hasMessageContaining("at most 4096");
        byte[] trailing = java.util.Arrays.copyOf(GATEWAY_2.encode(), GATEWAY_2.encode().length + 1);
        assertThatThrownBy(() -> NodeAnnouncement.decode(trailing)).isInstanceOf(ProtocolException.class);
    }

    private static byte[] map(Map<String, Object> fields) {
        CborWriter writer = new CborWriter();
        writer.writeHead(CborConstants.MAJOR_MAP, fields.size());
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            writer.writeText(field.getKey());
            writer.writeValue(field.getValue());
        }
        return writer.toByteArray();
    }
}
