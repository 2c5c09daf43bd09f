package dev.skynetbridge.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    @Test
    void utf8BytesBecomeTextAndOtherBytesABase64Object() throws Exception {
        assertThat(JsonValues.toJson("café".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"café\"");
        String binary = JsonValues.toJson(new byte[] {(byte) 0xff, 0});
        assertThat(binary).isEqualTo("{\"$bytes\":\"/wA=\"}");
        assertThat((byte[]) JsonValues.parse(binary)).containsExactly(0xff, 0);
    }

    @Test
    void keysBecomeTextAndNonFiniteFloatsNull() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1L, Double.NaN);
        map.put(true, List.of(1.5, Long.MAX_VALUE));
        assertThat(JsonValues.toJson(map)).isEqualTo("{\"1\":null,\"true\":[1.5,9223372036854775807]}");
    }

    @Test
    void parsesIntegersAsLongAndFractionsAsDouble() throws Exception {
        assertThat(JsonValues.parse("{\"i\":3,\"f\":3.0,\"big\":18446744073709551615}"))
                .isEqualTo(Map.of("i", 3L, "f", 3.0, "big", new java.math.BigInteger("18446744073709551615")));
    }
}
