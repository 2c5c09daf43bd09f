package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttUserPropertiesTest {

    @Test
    void outboundCarriesChannelExtrasIdsAndTheHopCountFromSkynet() {
        Map<String, String> properties = MqttUserProperties.outbound(Channel.of("base"),
                Map.of("sender", "turtle", MqttUserProperties.HOPS_EXTRA_KEY, 2L), "id-1",
                Instant.parse("2026-01-01T00:00:00Z"), "home");
        assertThat(properties).containsExactly(
                Map.entry(MqttUserProperties.CHANNEL, "s:base"),
                Map.entry(MqttUserProperties.EXTRAS, "{\"sender\":\"turtle\"}"),
                Map.entry(MqttUserProperties.MESSAGE_ID, "id-1"),
                Map.entry(MqttUserProperties.TIME, "2026-01-01T00:00:00Z"),
                Map.entry(MqttUserProperties.BRIDGE_ID, "home"),
                Map.entry(MqttUserProperties.HOPS, "2"));
    }

    @Test
    void inboundIgnoresItsOwnMessagesCountsHopsAndStopsAtTheLimit() {
        assertThat(MqttUserProperties.inbound(Map.of(MqttUserProperties.BRIDGE_ID, "home"), "home", 8))
                .isInstanceOf(MqttUserProperties.Inbound.OwnMessage.class);
        assertThat(MqttUserProperties.inbound(Map.of(MqttUserProperties.BRIDGE_ID, "other", MqttUserProperties.HOPS, "7",
                MqttUserProperties.EXTRAS, "{\"k\":[1]}"), "home", 8))
                .isEqualTo(new MqttUserProperties.Inbound.Accept(Map.of("k", java.util.List.of(1L),
                        MqttUserProperties.HOPS_EXTRA_KEY, 8L)));
        assertThat(MqttUserProperties.inbound(Map.of(MqttUserProperties.HOPS, "8"), "home", 8))
                .isEqualTo(new MqttUserProperties.Inbound.TooManyHops(9));
        assertThat(MqttUserProperties.inbound(Map.of(MqttUserProperties.EXTRAS, "not json"), "home", 8))
                .as("a plain MQTT client's message is a first hop")
                .isEqualTo(new MqttUserProperties.Inbound.Accept(Map.of(MqttUserProperties.HOPS_EXTRA_KEY, 1L)));
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
