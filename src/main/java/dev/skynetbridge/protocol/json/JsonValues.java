package dev.skynetbridge.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.skynetbridge.protocol.cbor.CborReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between Skynet payload values and JSON, used by v1 clients and by every
 * bridge that speaks JSON.
 *
 * <ul>
 *   <li>Maps, lists, strings, integers, floats, booleans and null map to their JSON kind.
 *   <li>A byte string that is valid UTF-8 becomes a JSON string (the Lua CBOR library sends
 *       non-ASCII Lua strings as byte strings). Any other byte string becomes
 *       {@code {"$bytes": "<base64>"}}, and that object reads back as bytes.
 *   <li>Map keys that are not strings become their text form (JSON keys are strings).
 *   <li>NaN and infinities, which JSON lacks, become null.
 *   <li>JSON numbers without a fraction or exponent read as Long (BigInteger when larger), others as Double.
 * </ul>
 */
public final class JsonValues {

    public static final String BYTES_KEY = "$bytes";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(CborReader.MAX_DEPTH).build())
            .build();

    private JsonValues() {
    }

    public static JsonFactory factory() {
        return FACTORY;
    }

    public static String toJson(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static byte[] toJsonBytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                generator.writeNumber(d);
            } else {
                generator.writeNull();
            }
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (value instanceof byte[] bytes) {
            String text = CborReader.strictUtf8(bytes);
            if (text != null) {
                generator.writeString(text);
            } else {
                generator.writeStartObject();
                generator.writeStringField(BYTES_KEY, Base64.getEncoder().encodeToString(bytes));
                generator.writeEndObject();
            }
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(keyText(entry.getKey()));
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                write(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof Object[] array) {
            generator.writeStartArray();
            for (Object item : array) {
                write(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof BigInteger big) {
            generator.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            generator.writeNumber(decimal);
        } else if (value instanceof CharSequence || value instanceof Character) {
            generator.writeString(value.toString());
        } else {
            throw new IllegalArgumentException("Cannot write a " + value.getClass().getName()
                    + " as JSON: convert it to a Map, List, String, number, Boolean, byte[] or null first");
        }
    }

    private static String keyText(Object key) {
        if (key instanceof byte[] bytes) {
            String text = CborReader.strictUtf8(bytes);
            return text != null ? text : Base64.getEncoder().encodeToString(bytes);
        }
        return String.valueOf(key);
    }

    /** Parses one JSON value into plain Java values; the whole input must be one value. */
    public static Object parse(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return parseWhole(parser);
        }
    }

    public static Object parse(byte[] json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return parseWhole(parser);
        }
    }

    private static Object parseWhole(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new IOException("empty JSON text");
        }
        Object value = read(parser, first);
        if (parser.nextToken() != null) {
            throw new IOException("trailing data after the JSON value at " + parser.currentLocation().offsetDescription());
        }
        return value;
    }

    /** Reads the value that starts at {@code token}. */
    public static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    map.put(key, read(parser, parser.nextToken()));
                }
                if (map.size() == 1 && map.get(BYTES_KEY) instanceof String base64) {
                    try {
                        return Base64.getDecoder().decode(base64);
                    } catch (IllegalArgumentException notBase64) {
                        return map;
                    }
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(parser, next));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    /** Text that is JSON: starts (after blanks) with an object, array, string, number, or literal. */
    public static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[' || b == '"' || b == '-' || (b >= '0' && b <= '9') || b == 't' || b == 'f'
                    || b == 'n';
        }
        return false;
    }
}
