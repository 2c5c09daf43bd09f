package dev.skynetbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.bridge.kafka.ArchiveValueFormat;
import dev.skynetbridge.bridge.kafka.ArchiveRecordCodec;
import dev.skynetbridge.mqtt.PayloadFormat;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2Request;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bridge load tool reads its send stamp and sequence number out of what the bridges write:
 * the payload as the gateway decodes it from the tool's send frame, then encoded the way the MQTT
 * bridge (json, cbor) and the Kafka archive (cbor, json) write it.
 */
class BridgeProbeTest {

    private static final long T = 3_141_592_653_589L;
    private static final long SEQ = (77L << 40) | (3L << 32) | 123_456L;

    /** What the gateway's Skynet server hands the bridge for one of the tool's messages. */
    private static Object payloadAsTheGatewaySeesIt() throws Exception {
        byte[] frame = V2Codec.encodeSend(SkynetMessage.of(Channel.of(1000), BridgeLoadTool.payload(T, SEQ)));
        V2Request.Send send = (V2Request.Send) V2Codec.decodeRequest(frame);
        return send.message().payload();
    }

    @Test
    void readsMqttBodiesInJsonAndCbor() throws Exception {
        Object payload = payloadAsTheGatewaySeesIt();
        assertThat(payload).isEqualTo(Map.of("t", T, "seq", SEQ));
        for (PayloadFormat format : new PayloadFormat[] {PayloadFormat.JSON, PayloadFormat.CBOR}) {
            BridgeProbe probe = new BridgeProbe();
            assertThat(probe.read(format.encode(payload))).as(format.name()).isTrue();
            assertThat(probe.sentNanos).as(format.name()).isEqualTo(T);
            assertThat(probe.seq).as(format.name()).isEqualTo(SEQ);
        }
    }

    @Test
    void readsKafkaArchiveRecordsInCborAndJson() throws Exception {
        SkynetMessage stamped = SkynetMessage.of(Channel.of(1000), payloadAsTheGatewaySeesIt())
                .stamped(Instant.parse("2026-11-20T18:00:00Z"), "mat-tat-1");
        for (ArchiveValueFormat format : ArchiveValueFormat.values()) {
            BridgeProbe probe = new BridgeProbe();
            assertThat(probe.read(ArchiveRecordCodec.encode(stamped, format).value())).as(format.name()).isTrue();
            assertThat(probe.sentNanos).as(format.name()).isEqualTo(T);
            assertThat(probe.seq).as(format.name()).isEqualTo(SEQ);
        }
    }

    @Test
    void aNumberHoldingTheBytesOfAKeyIsNotTakenForTheKey() {
        // 0x61 0x74 is the CBOR text "t": a sequence number ending in those bytes, written before "t".
        long seq = (77L << 40) | 0x6174;
        Map<String, Object> seqFirst = new java.util.LinkedHashMap<>();
        seqFirst.put("seq", seq);
        seqFirst.put("t", T);
        BridgeProbe probe = new BridgeProbe();
        assertThat(probe.read(PayloadFormat.CBOR.encode(seqFirst))).isTrue();
        assertThat(probe.sentNanos).isEqualTo(T);
        assertThat(probe.seq).isEqualTo(seq);
    }

    @Test
    void smallNumbersAndOtherBodiesAreHandled() {
        BridgeProbe probe = new BridgeProbe();
        assertThat(probe.read("{\"t\":5,\"seq\":0}".getBytes())).isTrue();
        assertThat(probe.sentNanos).isEqualTo(5);
        assertThat(probe.seq).isZero();
        assertThat(probe.read("{\"time\":5}".getBytes())).isFalse();
        assertThat(probe.read("hello".getBytes())).isFalse();
        assertThat(probe.read(new byte[0])).isFalse();
        assertThat(probe.read(new byte[] {(byte) 0xa2, 0x61, 't', 0x05})).isFalse(); // cut short
    }
}
