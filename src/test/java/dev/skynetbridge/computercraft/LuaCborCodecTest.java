package dev.skynetbridge.computercraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.skynetbridge.testsupport.Hex;
import dev.skynetbridge.testsupport.cc.EmulatedComputer;
import dev.skynetbridge.testsupport.cc.LuaConversions;
import dev.skynetbridge.testsupport.cc.LuaConversions.LuaBytes;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * The client library's own CBOR codec under a real Lua VM, checked against the reference's bytes
 * (shared/protocol vectors) and against Jackson's CBOR in both directions: what Lua writes,
 * Jackson reads as the same values (text vs bytes, integers vs floats, exact doubles), and what
 * a CBOR writer may send (indefinite lengths, half floats, tags), Lua reads.
 */
class LuaCborCodecTest {

    static Vertx vertx;
    static EmulatedComputer computer;
    static LuaValue cbor;
    static final ObjectMapper JACKSON = new ObjectMapper(new CBORFactory());

    @BeforeAll
    static void loadLibrary(@TempDir Path root) throws Exception {
        vertx = Vertx.vertx();
        Files.copy(Path.of("src/main/resources/computercraft/skynet.lua"), root.resolve("skynet.lua"));
        computer = new EmulatedComputer(vertx, 1, "codec", root);
        cbor = computer.loadModule("skynet.lua").get("CBOR");
    }

    @AfterAll
    static void stop() {
        computer.close();
        vertx.close();
    }

    static byte[] bytesOf(LuaValue string) {
        LuaString s = string.checkstring();
        byte[] out = new byte[s.m_length];
        s.copyInto(0, out, 0, out.length);
        return out;
    }

    static byte[] encodeBytes(Object javaValue) {
        return bytesOf(cbor.get("encode").call(LuaConversions.toLua(javaValue)));
    }

    static Object decode(byte[] bytes) {
        return LuaConversions.toJava(cbor.get("decode").call(LuaString.valueOf(bytes)));
    }

    static LuaValue lua(String expression) {
        return computer.eval("return " + expression);
    }

    @Test
    void requestsAreTheReferenceBytes() {
        assertThat(Hex.hex(encodeBytes(List.of("open", 42)))).isEqualTo("82646f70656e182a");
        assertThat(Hex.hex(encodeBytes(List.of("open", 5)))).isEqualTo("82646f70656e05");
        assertThat(Hex.hex(encodeBytes(List.of("open", "5")))).isEqualTo("82646f70656e6135");
        assertThat(Hex.hex(encodeBytes(List.of("open", "*")))).isEqualTo("82646f70656e612a");
        assertThat(Hex.hex(encodeBytes(List.of("close", "foo")))).isEqualTo("8265636c6f736563666f6f");
        assertThat(Hex.hex(encodeBytes(List.of("open", -7)))).isEqualTo("82646f70656e26");
    }

    @Test
    void integersUseTheShortestHeadAndFloatsAreExactDoubles() throws Exception {
        long[] whole = {0, 23, 24, 255, 256, 65535, 65536, 4294967295L, 4294967296L, 9007199254740992L, -1, -24, -25,
            -256, -257, -65537, -4294967297L, -9007199254740992L};
        for (long n : whole) {
            byte[] lua = bytesOf(cbor.get("encode").call(LuaValue.valueOf((double) n)));
            assertThat(Hex.hex(lua)).as("%d", n).isEqualTo(Hex.hex(JACKSON.writeValueAsBytes(n)));
        }
        double[] reals = {0.1, -2.5, 1e300, -1e-300, 4.9e-324, 2.2250738585072014E-308, 2.225073858507201E-308,
            Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 18446744073709551616.0,
            123456.789, Math.PI};
        for (double x : reals) {
            String expected = "fb" + String.format(Locale.ROOT, "%016x", Double.doubleToRawLongBits(x));
            assertThat(Hex.hex(bytesOf(cbor.get("encode").call(LuaValue.valueOf(x))))).as("%s", x).isEqualTo(expected);
            assertThat(decode(Hex.bytes(expected))).as("decode %s", x).isEqualTo(LuaConversions.toJava(LuaValue.valueOf(x)));
        }
        assertThat(Hex.hex(bytesOf(cbor.get("encode").call(LuaValue.valueOf(Double.NaN))))).isEqualTo("fb7ff8000000000000");
        assertThat((Double) decode(Hex.bytes("fb7ff8000000000000"))).isNaN();
    }

    @Test
    void stringsThatAreNotUtf8TravelAsBytes() throws Exception {
        byte[] binary = {(byte) 0xff, 0, 1, (byte) 0x80, 'x'};
        byte[] encoded = encodeBytes(binary);
        assertThat(Hex.hex(encoded)).isEqualTo("45ff000180" + "78");
        assertThat(JACKSON.readValue(encoded, Object.class)).isEqualTo(binary);
        // UTF-8 text, including 4-byte characters, is a text string.
        String text = "caf\u00e9 \ud83d\udc22";
        assertThat(JACKSON.readValue(encodeBytes(text), Object.class)).isEqualTo(text);
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        for (String hex : List.of("c0af", "eda080", "f4908080", "e282", "80")) {
            assertThat(Hex.hex(encodeBytes(Hex.bytes(hex))).substring(0, 2)).as(hex)
                    .isEqualTo(String.format("%02x", 0x40 + hex.length() / 2));
        }
    }

    @Test
    void tablesBecomeArraysOrMapsAsJacksonReadsThem() throws Exception {
        Object value = Map.of("name", "alpha", "list", List.of(1L, 2.5, "three"), "nested", Map.of("ok", true),
                "empty", Map.of());
        assertThat(JACKSON.readValue(encodeBytes(value), Object.class))
                .isEqualTo(Map.of("name", "alpha", "list", List.of(1, 2.5, "three"), "nested", Map.of("ok", true),
                        "empty", Map.of()));
        // A sparse table or one with other keys is a map, its number keys as numbers.
        LuaValue sparse = lua("{ [1] = 'a', [3] = 'c' }");
        assertThat(Hex.hex(bytesOf(cbor.get("encode").call(sparse)))).startsWith("a2");
        // CC's JSON sentinels: an explicit null and an empty array.
        assertThat(Hex.hex(bytesOf(cbor.get("encode").call(lua("{ textutils.json_null, textutils.empty_json_array }")))))
                .isEqualTo("82f680");
    }

    @Test
    void whatCannotBeSentIsRefusedWithWhereItIs() {
        assertThatThrownBy(() -> cbor.get("encode").call(lua("{ list = { 1, print } }"), LuaValue.valueOf("the message")))
                .isInstanceOf(LuaError.class).hasMessageContaining("the message.list[2]").hasMessageContaining("function");
        assertThatThrownBy(() -> cbor.get("encode").call(lua("(function() local t = {} t.me = t return t end)()")))
                .isInstanceOf(LuaError.class).hasMessageContaining("contains itself");
    }

    @Test
    void readsWhatOtherWritersSend() throws Exception {
        // Indefinite map and strings, as the reference server writes its pushes.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator generator = (CBORGenerator) JACKSON.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeFieldName("big");
            generator.writeNumber(new BigInteger("18446744073709551615"));
            generator.writeFieldName("bytes");
            generator.writeBinary(new byte[] {(byte) 0xfe, 0});
            generator.writeFieldName("neg");
            generator.writeNumber(-1_000_000_000_000L);
            generator.writeEndObject();
        }
        Object decoded = decode(out.toByteArray());
        assertThat(decoded).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) decoded;
        assertThat(map.get("bytes")).isEqualTo(new LuaBytes(new byte[] {(byte) 0xfe, 0}));
        assertThat(map.get("neg")).isEqualTo(-1_000_000_000_000L);
        // Jackson writes a BigInteger as a bignum tag around bytes: the tag is dropped, the bytes are kept.
        assertThat(map.get("big")).isEqualTo(new LuaBytes(Hex.bytes("00ffffffffffffffff")));
        assertThat(decode(Hex.bytes("1bffffffffffffffff"))).isEqualTo(18446744073709551615.0);
        // Half and single floats (the reference re-sends 1.5 as f93e00), tags dropped, null and undefined as nil.
        assertThat(decode(Hex.bytes("f93e00"))).isEqualTo(1.5);
        assertThat(decode(Hex.bytes("f9c400"))).isEqualTo(-4L);
        assertThat(decode(Hex.bytes("f90001"))).isEqualTo(5.960464477539063E-8);
        assertThat(decode(Hex.bytes("f97c00"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decode(Hex.bytes("fa3dcccccd"))).isEqualTo((double) 0.1f);
        assertThat(decode(Hex.bytes("c11a5bcc7b31"))).isEqualTo(0x5bcc7b31L);
        assertThat(decode(Hex.bytes("7f6263616162ff"))).isEqualTo("cab");
        assertThat(decode(Hex.bytes("5f42ff024103ff"))).isEqualTo(new LuaBytes(Hex.bytes("ff0203")));
        assertThat(decode(Hex.bytes("9f01f602ff"))).isEqualTo(Map.of(1L, 1L, 3L, 2L));
        assertThat(decode(Hex.bytes("bf6161f76162f5ff"))).isEqualTo(Map.of("b", true));
        // The reference push, byte for byte (shared/protocol/skynet-v2-vectors.md).
        Object push = decode(Hex.bytes("82676d657373616765bf676368616e6e656c182a676d65737361676562686964"
                + "74696d657818323031382d31302d32315431313a33343a30392e3233345aff"));
        assertThat(push).isEqualTo(List.of("message",
                Map.of("channel", 42L, "message", "hi", "time", "2018-10-21T11:34:09.234Z")));
    }

    @Test
    void brokenInputIsAnErrorThatSaysWhere() {
        assertThatThrownBy(() -> decode(Hex.bytes("8201"))).hasMessageContaining("unexpected end of data at byte 3");
        assertThatThrownBy(() -> decode(Hex.bytes("0101"))).hasMessageContaining("trailing data at byte 2");
        assertThatThrownBy(() -> decode(Hex.bytes("636162"))).hasMessageContaining("string runs past the end of data");
        assertThatThrownBy(() -> decode(Hex.bytes("1c"))).hasMessageContaining("reserved");
    }
}
