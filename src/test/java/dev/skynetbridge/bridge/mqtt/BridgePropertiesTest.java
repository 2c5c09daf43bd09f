package dev.skynetbridge.bridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgePropertiesTest {

    @Test
    void outboundCarriesChannelExtrasIdsAndTheHopCountFromSkynet() {
        Map<String, String> properties = BridgeProperties.outbound(Channel.of("base"),
                Map.of("sender", "turtle", BridgeProperties.HOPS_EXTRA_KEY, 2L), "id-1",
                Instant.parse("2026-01-01T00:00:00Z"), "home");
        assertThat(properties).containsExactly(
                Map.entry(BridgeProperties.CHANNEL, "s:base"),
                Map.entry(BridgeProperties.EXTRAS, "{\"sender\":\"turtle\"}"),
                Map.entry(BridgeProperties.MESSAGE_ID, "id-1"),
                Map.entry(BridgeProperties.TIME, "2026-01-01T00:00:00Z"),
                Map.entry(BridgeProperties.BRIDGE_ID, "home"),
                Map.entry(BridgeProperties.HOPS, "2"));
    }

    @Test
    void inboundIgnoresItsOwnMessagesCountsHopsAndStopsAtTheLimit() {
        assertThat(BridgeProperties.inbound(Map.of(BridgeProperties.BRIDGE_ID, "home"), "home", 8))
                .isInstanceOf(BridgeProperties.Inbound.OwnMessage.class);
        assertThat(BridgeProperties.inbound(Map.of(BridgeProperties.BRIDGE_ID, "other", BridgeProperties.HOPS, "7",
                BridgeProperties.EXTRAS, "{\"k\":[1]}"), "home", 8))
                .isEqualTo(new BridgeProperties.Inbound.Accept(Map.of("k", java.util.List.of(1L),
                        BridgeProperties.HOPS_EXTRA_KEY, 8L)));
        assertThat(BridgeProperties.inbound(Map.of(BridgeProperties.HOPS, "8"), "home", 8))
                .isEqualTo(new BridgeProperties.Inbound.TooManyHops(9));
        assertThat(BridgeProperties.inbound(Map.of(BridgeProperties.EXTRAS, "not json"), "home", 8))
                .as("a plain MQTT client's message is a first hop")
                .isEqualTo(new BridgeProperties.Inbound.Accept(Map.of(BridgeProperties.HOPS_EXTRA_KEY, 1L)));
    }

    @Test
    void payloadFormatsRoundTripAndReadPlainMqttBodies() {
        Map<String, Object> value = Map.of("bytes", new byte[] {(byte) 0xff}, "n", 1L);
        assertThat(new String(PayloadFormat.JSON.encode(value), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"bytes\":{\"$bytes\":\"/w==\"}");
        Object cbor = PayloadFormat.CBOR.decode(PayloadFormat.CBOR.encode(value));
        assertThat((byte[]) ((Map<?, ?>) cbor).get("bytes")).containsExactly(0xff);
        assertThat(PayloadFormat.JSON.decode("{\"a\":true}".getBytes())).isEqualTo(Map.of("a", true));
        assertThat(PayloadFormat.JSON.decode("ON".getBytes())).isEqualTo("ON");
        assertThat(PayloadFormat.TEXT.decode("{\"a\":true}".getBytes())).isEqualTo("{\"a\":true}");
        assertThat((byte[]) PayloadFormat.BYTES.decode("ON".getBytes())).containsExactly('O', 'N');
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PayloadFormat.CBOR.decode(new byte[] {0x01, 0x02}))
                .hasMessageContaining("trailing data");
    }
}
