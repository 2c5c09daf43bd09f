package dev.skynetbridge.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class V1CodecTest {

    @Test
    void decodesEveryCommand() throws Exception {
        assertThat(V1Codec.decodeRequest("{\"type\":\"open\",\"channel\":42}"))
                .isEqualTo(new V1Request.Open(Channel.of(42)));
        assertThat(V1Codec.decodeRequest("{\"type\":\"open\",\"channel\":\"42\"}"))
                .isEqualTo(new V1Request.Open(Channel.of("42")));
        assertThat(V1Codec.decodeRequest("{\"type\":\"close\",\"channel\":\"*\"}"))
                .isEqualTo(new V1Request.Close(Channel.WILDCARD));
        assertThat(V1Codec.decodeRequest("{\"type\":\"log\"}")).isEqualTo(new V1Request.Log(0, 100));
        assertThat(V1Codec.decodeRequest("{\"type\":\"log\",\"start\":2,\"end\":5}")).isEqualTo(new V1Request.Log(2, 5));

        SkynetMessage message = ((V1Request.Message) V1Codec.decodeRequest(
                "{\"type\":\"message\",\"channel\":7,\"message\":{\"a\":[1,2.5,null]},\"sender\":\"bob\",\"ID\":\"x\"}"))
                .message();
        assertThat(message.channel()).isEqualTo(Channel.of(7));
        assertThat(message.payload()).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, 2.5, null)));
        assertThat(message.extras()).containsExactly(Map.entry("sender", "bob"));
    }

    @Test
    void errorsUseTheReferenceWording() {
        assertThatThrownBy(() -> V1Codec.decodeRequest("[1,2]")).isInstanceOf(ProtocolException.class)
                .hasMessage("Message must be object");
        assertThatThrownBy(() -> V1Codec.decodeRequest("\"hello\"")).hasMessage("Message must be object");
        assertThatThrownBy(() -> V1Codec.decodeRequest("{\"type\":\"ping\"}")).hasMessage("No such command ping");
        assertThatThrownBy(() -> V1Codec.decodeRequest("{\"type\":\"open\",\"channel\":1.5}"))
                .hasMessageStartingWith("channel must be an integer or a string");
        assertThatThrownBy(() -> V1Codec.decodeRequest("{\"type\":")).hasMessageStartingWith("Invalid JSON: ");
    }

    @Test
    void eventsCarryTheCommandKeysIdAndEpochMillis() throws Exception {
        Instant time = Instant.ofEpochMilli(1540121649234L);
        SkynetMessage message = new SkynetMessage(Channel.of("foo"), List.of(1L), Map.of("sender", "bob"), time, "id-7");
        assertThat(V1Codec.encodeEvent(message)).isEqualTo(
                "{\"type\":\"message\",\"channel\":\"foo\",\"message\":[1],\"sender\":\"bob\",\"ID\":\"id-7\","
                        + "\"time\":1540121649234}");
        assertThat(V1Codec.encodeMessageResult(message)).startsWith("{\"type\":\"result\",\"for\":\"message\",");

        V1ServerFrame.Event event = (V1ServerFrame.Event) V1Codec.decodeServerFrame(V1Codec.encodeEvent(message));
        assertThat(event.message()).isEqualTo(message);
    }

    @Test
    void resultsAndErrors() throws Exception {
        assertThat(V1Codec.encodeOpenResult(List.of(Channel.of(1), Channel.of("a"))))
                .isEqualTo("{\"type\":\"result\",\"for\":\"open\",\"channels\":[1,\"a\"]}");
        assertThat(V1Codec.encodeError("No such command x")).isEqualTo("{\"type\":\"error\",\"error\":\"No such command x\"}");
        assertThat(V1Codec.encodeLogResult(List.of("{\"a\":1}", "{\"b\":2}")))
                .isEqualTo("{\"type\":\"result\",\"for\":\"log\",\"log\":[{\"a\":1},{\"b\":2}]}");
        assertThat(V1Codec.decodeServerFrame(V1Codec.encodeError("boom"))).isEqualTo(new V1ServerFrame.Error("boom"));
        assertThat(JsonValues.parse(V1Codec.encodeSend(SkynetMessage.of(Channel.of(3), "x"))))
                .isEqualTo(Map.of("type", "message", "channel", 3L, "message", "x"));
    }
}
