package dev.skynetbridge.protocol.v2;

import static dev.skynetbridge.testsupport.Hex.bytes;
import static dev.skynetbridge.testsupport.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.GoldenVectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every vector of {@code skynet-v2-vectors.md}, byte for byte. */
class V2CodecTest {

    static final GoldenVectors VECTORS = GoldenVectors.load("skynet-v2-vectors.md");
    /** The reference harness's fixed time: 1540121649 s + 234000000 ns. */
    static final Instant REFERENCE_TIME = Instant.ofEpochSecond(1540121649L, 234_000_000L);
    static final String TIME_TEXT_HEX = "7818" + hex("2018-10-21T11:34:09.234Z".getBytes(StandardCharsets.US_ASCII));

    static V2Request decode(String hex) throws ProtocolException {
        return V2Codec.decodeRequest(bytes(hex));
    }

    static String errorDetail(String hex) {
        try {
            V2Codec.decodeRequest(bytes(hex));
        } catch (ProtocolException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted " + hex);
    }

    /** Wraps a payload's CBOR into {@code ["message", {"channel": 42, "message": <payload>}]}. */
    static String sendWithPayload(String payloadHex) {
        return "82676d657373616765a2676368616e6e656c182a676d657373616765" + payloadHex;
    }

    /** What the reference pushes for channel 42 with the given payload bytes, at the reference time. */
    static String pushWithPayload(String payloadHex) {
        return "82676d657373616765bf676368616e6e656c182a676d657373616765" + payloadHex + "6474696d65" + TIME_TEXT_HEX
                + "ff";
    }

    static SkynetMessage sent(String hex) throws ProtocolException {
        return ((V2Request.Send) decode(hex)).message();
    }

    @Nested
    class ClientRequests {

        @Test
        void opensAndClosesNumericStringAndWildcardChannels() throws Exception {
            assertThat(V2Codec.decodeRequest(VECTORS.bytes("open 42"))).isEqualTo(new V2Request.Open(Channel.of(42)));
            assertThat(V2Codec.decodeRequest(VECTORS.bytes("open 5"))).isEqualTo(new V2Request.Open(Channel.of(5)));
            assertThat(V2Codec.decodeRequest(VECTORS.bytes("open \"5\""))).isEqualTo(new V2Request.Open(Channel.of("5")));
            assertThat(V2Codec.decodeRequest(VECTORS.bytes("open \"foo\"")))
                    .isEqualTo(new V2Request.Open(Channel.of("foo")));
            assertThat(((V2Request.Open) V2Codec.decodeRequest(VECTORS.bytes("open \"*\""))).channel().isWildcard())
                    .isTrue();
            assertThat(V2Codec.decodeRequest(VECTORS.bytes("close 42"))).isEqualTo(new V2Request.Close(Channel.of(42)));
            assertThat(V2Codec.decodeRequest(VECTORS.bytes("close \"foo\"")))
                    .isEqualTo(new V2Request.Close(Channel.of("foo")));
            assertThat(Channel.of(5)).isNotEqualTo(Channel.of("5"));
        }

        @ParameterizedTest
        @CsvSource({"send 42 \"hi\"", "send (Lua/LuaJ)", "send (cbor-x)"})
        void everyClientsSpellingOfASendIsTheSameMessage(String label) throws Exception {
            SkynetMessage message = ((V2Request.Send) V2Codec.decodeRequest(VECTORS.bytes(label))).message();
            assertThat(message.channel()).isEqualTo(Channel.of(42));
            assertThat(message.payload()).isEqualTo("hi");
            assertThat(message.extras()).isEmpty();
        }

        @Test
        void extraKeysTravelAtTheTopLevel() throws Exception {
            SkynetMessage message = ((V2Request.Send) V2Codec.decodeRequest(VECTORS.bytes("send + meta"))).message();
            assertThat(message.extras()).containsExactly(Map.entry("sender", "foo"));
        }

        @Test
        void clientEncodingMatchesTheVectors() {
            assertThat(hex(V2Codec.encodeOpen(Channel.of(42)))).isEqualTo(VECTORS.hex("open 42"));
            assertThat(hex(V2Codec.encodeOpen(Channel.of("5")))).isEqualTo(VECTORS.hex("open \"5\""));
            assertThat(hex(V2Codec.encodeOpen(Channel.WILDCARD))).isEqualTo(VECTORS.hex("open \"*\""));
            assertThat(hex(V2Codec.encodeClose(Channel.of("foo")))).isEqualTo(VECTORS.hex("close \"foo\""));
            assertThat(hex(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "hi"))))
                    .isEqualTo(VECTORS.hex("send 42 \"hi\""));
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("sender", "foo");
            assertThat(hex(V2Codec.encodeSend(new SkynetMessage(Channel.of(42), "hi", extras, null, null))))
                    .isEqualTo(VECTORS.hex("send + meta"));
        }

        @Test
        void seedSpellingsAreAliases() throws Exception {
            // ["send", {"channel": "foo", "data": [1], "meta": {"sender": "bob"}}]
            SkynetMessage message = sent("82" + "6473656e64" + "a3" + "676368616e6e656c63666f6f" + "646461746181" + "01"
                    + "646d657461" + "a1" + "6673656e646572" + "63626f62");
            assertThat(message.channel()).isEqualTo(Channel.of("foo"));
            assertThat(message.payload()).isEqualTo(List.of(1L));
            assertThat(message.extras()).containsExactly(Map.entry("sender", "bob"));
        }
    }

    @Nested
    class Pushes {

        static SkynetMessage at(SkynetMessage message) {
            return message.stamped(REFERENCE_TIME, "id-1");
        }

        @Test
        void pushesAreByteIdenticalToTheReference() {
            assertThat(hex(V2Codec.encodePush(at(SkynetMessage.of(Channel.of(42), "hi")))))
                    .isEqualTo(VECTORS.hex("push 42 \"hi\""));
            assertThat(hex(V2Codec.encodePush(at(SkynetMessage.of(Channel.of("foo"), "hi")))))
                    .isEqualTo(VECTORS.hex("push \"foo\" \"hi\""));
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("sender", "foo");
            assertThat(hex(V2Codec.encodePush(at(new SkynetMessage(Channel.of(42), "hi", extras, null, null)))))
                    .isEqualTo(VECTORS.hex("push + meta"));
        }

        @Test
        void aReceivedSendIsPushedByteForByte() throws Exception {
            SkynetMessage received = ((V2Request.Send) V2Codec.decodeRequest(VECTORS.bytes("send + meta"))).message();
            assertThat(hex(V2Codec.encodePush(at(received)))).isEqualTo(VECTORS.hex("push + meta"));
        }

        @ParameterizedTest
        @CsvSource({
            "0, 74, 2018-10-21T11:34:09Z",
            "234567000, 781b, 2018-10-21T11:34:09.234567Z",
            "234567891, 781e, 2018-10-21T11:34:09.234567891Z"
        })
        void timeHasTheShortestExactFraction(long nanos, String head, String text) {
            SkynetMessage message = SkynetMessage.of(Channel.of(42), "hi")
                    .stamped(Instant.ofEpochSecond(1540121649L, nanos), null);
            assertThat(hex(V2Codec.encodePush(message)))
                    .endsWith("6474696d65" + head + hex(text.getBytes(StandardCharsets.US_ASCII)) + "ff");
        }

        @ParameterizedTest
        @CsvSource({
            "fb3ff8000000000000, f93e00",
            "fb4014000000000000, f94500",
            "fa3dcccccd, fa3dcccccd",
            "fb400921fb54442d18, fb400921fb54442d18",
            "f6, f6",
            "f7, f6",
            "c11a5bcc7b31, 1a5bcc7b31",
            "a3627a7a016161020103, a30103616102627a7a01"
        })
        void payloadsAreNormalisedAsTheReferenceDoes(String sentPayload, String pushedPayload) throws Exception {
            SkynetMessage received = sent(sendWithPayload(sentPayload));
            assertThat(hex(V2Codec.encodePush(at(received)))).isEqualTo(pushWithPayload(pushedPayload));
        }

        @Test
        void aClientTimeKeyIsRelayedBeforeTheServerTime() throws Exception {
            // ["message", {"channel": 42, "message": "hi", "time": 1}]
            SkynetMessage received = sent("82676d657373616765a3676368616e6e656c182a676d657373616765626869"
                    + "6474696d6501");
            assertThat(hex(V2Codec.encodePush(at(received)))).isEqualTo("82676d657373616765bf676368616e6e656c182a"
                    + "6474696d6501" + "676d657373616765626869" + "6474696d65" + TIME_TEXT_HEX + "ff");
        }

        @Test
        void aUtf8ByteStringChannelIsTheTextChannel() throws Exception {
            // Lua sends "caf\195\169" as a byte string: 45 636166c3a9
            V2Request open = decode("82646f70656e45636166c3a9");
            assertThat(open).isEqualTo(new V2Request.Open(Channel.of("café")));
            SkynetMessage received = sent("82676d657373616765a2676368616e6e656c45636166c3a9676d657373616765626869");
            assertThat(hex(V2Codec.encodePush(at(received)))).contains("676368616e6e656c65636166c3a9");
        }

        @Test
        void clientsDecodePushesBack() throws Exception {
            V2ServerFrame frame = V2Codec.decodeServerFrame(VECTORS.bytes("push + meta"));
            SkynetMessage message = ((V2ServerFrame.Push) frame).message();
            assertThat(message.channel()).isEqualTo(Channel.of(42));
            assertThat(message.payload()).isEqualTo("hi");
            assertThat(message.extras()).containsExactly(Map.entry("sender", "foo"));
            assertThat(message.time()).isEqualTo(REFERENCE_TIME);
        }
    }

    @Nested
    class Errors {

        @Test
        void errorFramesAreByteIdenticalToTheReference() throws Exception {
            assertThat(hex(V2Codec.encodeError("data did not match any variant of untagged enum Channel")))
                    .isEqualTo(VECTORS.hex("float channel"));
            assertThat(hex(V2Codec.encodeError("missing field `message`"))).isEqualTo(VECTORS.hex("missing message"));
            assertThat(V2Codec.decodeServerFrame(VECTORS.bytes("missing message")))
                    .isEqualTo(new V2ServerFrame.Error("deserialization_failure", "missing field `message`"));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "float channel | 82646f70656efb4045000000000000 | data did not match any variant of untagged enum Channel",
            "float 5.0 channel | 82646f70656ef94500 | data did not match any variant of untagged enum Channel",
            "bool channel | 82646f70656ef5 | data did not match any variant of untagged enum Channel",
            "null channel | 82646f70656ef6 | data did not match any variant of untagged enum Channel",
            "u64 above i64 | 82646f70656e1bffffffffffffffff | data did not match any variant of untagged enum Channel",
            "bad utf-8 bytes | 82646f70656e42c328 | data did not match any variant of untagged enum Channel",
            "unknown request | 826470696e67182a | unknown variant `ping`, expected one of `open`, `close`, `message`",
            "missing message | 82676d657373616765a1676368616e6e656c182a | missing field `message`",
            "missing channel | 82676d657373616765a1676d657373616765626869 | missing field `channel`",
            "duplicate channel | 82676d657373616765a3676368616e6e656c01676368616e6e656c02676d657373616765f6 | duplicate field `channel`",
            "non-string top key | 82676d657373616765a3676368616e6e656c01676d657373616765f60102 | invalid type: integer `1`, expected a string",
            "message not a map | 82676d6573736167658101 | invalid type: sequence, expected struct RawMsg",
            "map-form request | a1646f70656e182a | invalid type: map, expected variant identifier",
            "bare open | 646f70656e | invalid type: unit variant, expected newtype variant",
            "array too short | 81646f70656e | array too short at offset 6",
            "three elements | 83646f70656e182a01 | trailing data at offset 8",
            "extra byte after | 82646f70656e182a00 | trailing data at offset 8",
            "JSON text frame | 5b226f70656e222c34325d | EOF while parsing a value at offset 11",
            "variant index 3 | 8203182a | invalid value: integer `3`, expected variant index 0 <= i < 3",
            "float map key | 82676d657373616765a2676368616e6e656c01676d657373616765a1f93e0001 | invalid type: floating point `1.5`, expected any valid CBOR key"
        })
        void badRequestsGetTheReferenceDetail(String name, String hexFrame, String detail) {
            assertThat(errorDetail(hexFrame)).isEqualTo(detail);
        }

        @Test
        void anEmptyFrameIsAnEof() {
            assertThat(errorDetail("")).isEqualTo("EOF while parsing a value");
        }

        @Test
        void deepNestingIsRefusedNotOverflowed() {
            byte[] deep = new byte[2 + 6 + 500];
            byte[] prefix = bytes("82" + "6473656e64"); // ["send", ...
            System.arraycopy(prefix, 0, deep, 0, prefix.length);
            Arrays.fill(deep, prefix.length, deep.length, (byte) 0x81); // [[[[...
            deep[deep.length - 1] = 0x01;
            assertThat(errorDetail(hex(deep))).startsWith("recursion limit exceeded at offset ");
        }

        @Test
        void truncatedLengthsDoNotAllocate() {
            // A byte string claiming 2^32 bytes in a 12-byte frame.
            assertThat(errorDetail("82646f70656e5affffffff")).startsWith("EOF while parsing a value at offset");
            assertThat(errorDetail("82646f70656e9bffffffffffffffff")).startsWith("EOF while parsing a value");
        }
    }

    @Nested
    class AcceptedOddities {

        @Test
        void variantIndicesByteStringNamesIndefiniteArraysAndTags() throws Exception {
            assertThat(decode("8200182a")).isEqualTo(new V2Request.Open(Channel.of(42)));
            assertThat(decode("8201182a")).isEqualTo(new V2Request.Close(Channel.of(42)));
            assertThat(sent("8202a2676368616e6e656c182a676d657373616765626869").payload()).isEqualTo("hi");
            assertThat(decode("82446f70656e182a")).isEqualTo(new V2Request.Open(Channel.of(42)));
            assertThat(decode("9f646f70656e182aff")).isEqualTo(new V2Request.Open(Channel.of(42)));
            assertThat(decode("c182c1646f70656ec1182a")).isEqualTo(new V2Request.Open(Channel.of(42)));
            assertThat(sent("82676d657373616765bf676368616e6e656c182a676d657373616765626869ff").payload())
                    .isEqualTo("hi");
        }

        @Test
        void nullMessageIsAllowed() throws Exception {
            assertThat(sent(sendWithPayload("f6")).payload()).isNull();
        }
    }

    @Nested
    class RoundTrips {

        @Test
        void payloadValuesSurviveSendAndPush() throws Exception {
            Map<Object, Object> payload = new LinkedHashMap<>();
            payload.put("text", "héllo ✓ 𝄞");
            payload.put("max", Long.MAX_VALUE);
            payload.put("min", Long.MIN_VALUE);
            payload.put("u64", new BigInteger("18446744073709551615"));
            payload.put("float", 0.1);
            payload.put("half", 1.5);
            payload.put("null", null);
            payload.put("yes", true);
            payload.put("bytes", new byte[] {0, (byte) 0xff, 7});
            payload.put(7L, "integer key");
            payload.put("list", List.of(1L, "two", List.of(), Map.of()));
            SkynetMessage original = new SkynetMessage(Channel.of(-9), payload, Map.of("from", "test"), null, null);

            SkynetMessage received = sent(hex(V2Codec.encodeSend(original)));
            SkynetMessage pushed = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(
                    V2Codec.encodePush(received.stamped(REFERENCE_TIME, null)))).message();

            for (SkynetMessage copy : List.of(received, pushed)) {
                assertThat(copy.channel()).isEqualTo(Channel.of(-9));
                assertThat(copy.extras()).containsExactly(Map.entry("from", "test"));
                @SuppressWarnings("unchecked")
                Map<Object, Object> value = (Map<Object, Object>) copy.payload();
                assertThat(value).containsOnlyKeys(payload.keySet().toArray());
                payload.forEach((key, expected) -> {
                    if (expected instanceof byte[] b) {
                        assertThat((byte[]) value.get(key)).containsExactly(b);
                    } else {
                        assertThat(value.get(key)).isEqualTo(expected);
                    }
                });
            }
        }
    }
}
