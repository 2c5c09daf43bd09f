package dev.skynetbridge.protocol.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonType;
import org.junit.jupiter.api.Test;

class BsonValuesTest {

    @Test
    void plainJavaValuesRoundTripWithTheirTypes() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("flag", true);
        nested.put("nothing", null);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "héllo");
        map.put("small", 42);
        map.put("big", 1L << 40);
        map.put("ratio", 0.5);
        map.put("bytes", new byte[] {1, 2, 3});
        map.put("list", Arrays.asList(1, "two", null));
        map.put("nested", nested);
        map.put("when", Instant.ofEpochMilli(1_700_000_000_000L));

        Map<String, Object> back = BsonValues.toMap(BsonValues.toBytes(map));

        assertThat(back.keySet()).containsExactlyElementsOf(map.keySet());
        assertThat(back.get("text")).isEqualTo("héllo");
        assertThat(back.get("small")).isEqualTo(42);
        assertThat(back.get("big")).isEqualTo(1L << 40);
        assertThat(back.get("ratio")).isEqualTo(0.5);
        assertThat((byte[]) back.get("bytes")).containsExactly(1, 2, 3);
        assertThat(back.get("list")).isEqualTo(Arrays.asList(1, "two", null));
        assertThat(back.get("nested")).isEqualTo(nested);
        assertThat(back.get("when")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void integerWidthsMapToInt32AndInt64() {
        assertThat(BsonValues.fromJava(7).getBsonType()).isEqualTo(BsonType.INT32);
        assertThat(BsonValues.fromJava(7L).getBsonType()).isEqualTo(BsonType.INT64);
        assertThat(BsonValues.fromJava(BigInteger.valueOf(Long.MAX_VALUE)).getBsonType()).isEqualTo(BsonType.INT64);
        assertThatThrownBy(() -> BsonValues.fromJava(BigInteger.ONE.shiftLeft(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit in int64");
    }

    @Test
    void unsupportedValueNamesItsPath() {
        Map<String, Object> map = Map.of("outer", Map.of("inner", List.of(new Object())));
        assertThatThrownBy(() -> BsonValues.toDocument(map))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outer.inner[0]").hasMessageContaining("java.lang.Object");
    }
}
