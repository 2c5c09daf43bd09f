package dev.skynetbridge.testsupport.cc;

import dev.skynetbridge.testsupport.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua values to Java and back, for what tests assert and send: a Lua string that is UTF-8 is a
 * Java String, any other is {@link LuaBytes}; a whole number a Long, other numbers a Double; a
 * table with keys 1..n a List, any other table a Map.
 */
public final class LuaConversions {

    /** A Lua string that is not UTF-8: its bytes, compared by content. */
    public record LuaBytes(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof LuaBytes that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "LuaBytes[" + Hex.hex(bytes) + "]";
        }
    }

    private LuaConversions() {
    }

    public static Object toJava(LuaValue value) {
        switch (value.type()) {
            case LuaValue.TNIL:
                return null;
            case LuaValue.TBOOLEAN:
                return value.toboolean();
            case LuaValue.TNUMBER: {
                double number = value.todouble();
                boolean whole = number == Math.rint(number) && Math.abs(number) <= 9.007199254740992E15
                                && !(number == 0 && 1 / number < 0);
                return whole ? (Object) (long) number : (Object) number;
            }
            case LuaValue.TSTRING: {
                byte[] bytes = bytes(value.checkstring());
                String text = strictUtf8(bytes);
                return text != null ? text : new LuaBytes(bytes);
            }
            case LuaValue.TTABLE:
                return tableToJava(value.checktable());
            default:
                return "<" + value.typename() + ">";
        }
    }

    public static List<Object> toJava(Varargs values) {
        List<Object> out = new ArrayList<>();
        for (int i = 1; i <= values.narg(); i++) {
            out.add(toJava(values.arg(i)));
        }
        return out;
    }

    private static Object tableToJava(LuaTable table) {
        Map<Object, Object> map = new LinkedHashMap<>();
        boolean sequence = true;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            Object javaKey = toJava(key);
            sequence &= javaKey instanceof Long;
            map.put(javaKey, toJava(next.arg(2)));
        }
        if (sequence && !map.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (long i = 1; i <= map.size(); i++) {
                if (!map.containsKey(i)) {
                    return map;
                }
                list.add(map.get(i));
            }
            return list;
        }
        return map;
    }

    public static LuaValue toLua(Object value) {
        if (value == null) {
            return LuaValue.NIL;
        } else if (value instanceof LuaValue lua) {
            return lua;
        } else if (value instanceof String text) {
            return LuaString.valueOf(text.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[] bytes) {
            return LuaString.valueOf(bytes.clone());
        } else if (value instanceof LuaBytes bytes) {
            return LuaString.valueOf(bytes.bytes().clone());
        } else if (value instanceof Boolean flag) {
            return LuaValue.valueOf(flag);
        } else if (value instanceof Integer || value instanceof Long) {
            return LuaValue.valueOf(((Number) value).doubleValue());
        } else if (value instanceof Number number) {
            return LuaValue.valueOf(number.doubleValue());
        } else if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                table.set(i + 1, toLua(list.get(i)));
            }
            return table;
        } else if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(toLua(k), toLua(v)));
            return table;
        }
        throw new IllegalArgumentException("no Lua form for " + value.getClass().getName());
    }

    static byte[] bytes(LuaString string) {
        byte[] bytes = new byte[string.m_length];
        string.copyInto(0, bytes, 0, bytes.length);
        return bytes;
    }

    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A Lua function backed by a Java lambda. */
    static LuaValue function(Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }
}
