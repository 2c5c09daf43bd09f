package dev.skynetbridge.protocol.cbor;

import static dev.skynetbridge.protocol.cbor.CborConstants.*;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CBOR items from one in-memory frame into plain Java values: Long (or BigInteger beyond
 * 64-bit signed), Double, String, byte[], Boolean, null, List and LinkedHashMap (keys: Long,
 * String, byte[], Boolean or null, in wire order). Tags are skipped; undefined reads as null.
 *
 * <p>Errors follow the wording of the reference server (serde_cbor) where it has one, with the
 * byte offset, so a person debugging a client can find the bad byte.
 */
public final class CborReader {

    /** Nesting depth the reference also refuses beyond. */
    public static final int MAX_DEPTH = 128;

    private final byte[] input;
    private final int end;
    private int position;

    public CborReader(byte[] input) {
        this(input, 0, input.length);
    }

    public CborReader(byte[] input, int offset, int length) {
        this.input = input;
        this.position = offset;
        this.end = offset + length;
    }

    public int position() {
        return position;
    }

    public boolean atEnd() {
        return position >= end;
    }

    /** Skips tags and returns the initial byte of the next item without consuming it. */
    public int peekSkippingTags() throws CborException {
        while (true) {
            int initial = peekByte();
            if (majorOf(initial) != MAJOR_TAG) {
                return initial;
            }
            position++;
            readArgument(infoOf(initial));
        }
    }

    public boolean nextIsBreak() throws CborException {
        return peekByte() == BREAK;
    }

    public void readBreak() throws CborException {
        if (readByte() != BREAK) {
            throw CborException.at("expected the end of an indefinite-length item", position - 1);
        }
    }

    /**
     * Reads an array or map head. Returns the number of items, or -1 for indefinite length.
     */
    public long readContainerHead(int expectedMajor) throws CborException {
        int initial = peekSkippingTags();
        if (majorOf(initial) != expectedMajor) {
            throw CborException.at("expected " + (expectedMajor == MAJOR_ARRAY ? "an array" : "a map")
                    + ", found " + describeInitial(initial), position);
        }
        position++;
        if (infoOf(initial) == INFO_INDEFINITE) {
            return -1;
        }
        long count = readArgument(infoOf(initial));
        if (count < 0 || count > end - position) {
            // Each item takes at least one byte: a larger count cannot be honest.
            throw new CborException("EOF while parsing a value at offset " + end);
        }
        return count;
    }

    public Object readValue() throws CborException {
        return readValue(0);
    }

    public Object readValue(int depth) throws CborException {
        if (depth > MAX_DEPTH) {
            throw CborException.at("recursion limit exceeded", position);
        }
        int initial = peekSkippingTags();
        int start = position;
        position++;
        int major = majorOf(initial);
        int info = infoOf(initial);
        switch (major) {
            case MAJOR_UNSIGNED: {
                long value = readArgument(info);
                return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
            }
            case MAJOR_NEGATIVE: {
                long n = readArgument(info);
                return n >= 0 ? (Object) (-1 - n)
                        : BigInteger.ONE.negate().subtract(new BigInteger(Long.toUnsignedString(n)));
            }
            case MAJOR_BYTES:
                return readStringBody(MAJOR_BYTES, info, start);
            case MAJOR_TEXT:
                return utf8((byte[]) readStringBody(MAJOR_TEXT, info, start), start);
            case MAJOR_ARRAY: {
                List<Object> list;
                if (info == INFO_INDEFINITE) {
                    list = new ArrayList<>();
                    while (!nextIsBreak()) {
                        list.add(readValue(depth + 1));
                    }
                    position++;
                } else {
                    int count = checkedCount(readArgument(info));
                    list = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        list.add(readValue(depth + 1));
                    }
                }
                return list;
            }
            case MAJOR_MAP: {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (info == INFO_INDEFINITE) {
                    while (!nextIsBreak()) {
                        Object key = readKey(depth + 1);
                        map.put(key, readValue(depth + 1));
                    }
                    position++;
                } else {
                    int count = checkedCount(readArgument(info));
                    for (int i = 0; i < count; i++) {
                        Object key = readKey(depth + 1);
                        map.put(key, readValue(depth + 1));
                    }
                }
                return map;
            }
            default:
                return readSimple(info, start);
        }
    }

    /** A map key of a payload: integer, byte string, text, boolean or null, as the reference. */
    public Object readKey(int depth) throws CborException {
        int initial = peekSkippingTags();
        int start = position;
        Object key = readValue(depth);
        if (key instanceof Double d) {
            throw new CborException("invalid type: floating point `" + formatFloat(d) + "`, expected any valid CBOR key");
        }
        if (key instanceof BigInteger) {
            throw CborException.at("integer out of range for a map key", start);
        }
        if (key instanceof List || key instanceof Map) {
            throw new CborException("invalid type: " + describeInitial(initial) + ", expected any valid CBOR key");
        }
        return key;
    }

    private Object readSimple(int info, int start) throws CborException {
        switch (info) {
            case SIMPLE_FALSE:
                return Boolean.FALSE;
            case SIMPLE_TRUE:
                return Boolean.TRUE;
            case SIMPLE_NULL:
            case SIMPLE_UNDEFINED:
                return null;
            case INFO_TWO_BYTES:
                return (double) HalfFloat.toFloat((int) readFixed(2));
            case INFO_FOUR_BYTES:
                return (double) Float.intBitsToFloat((int) readFixed(4));
            case INFO_EIGHT_BYTES:
                return Double.longBitsToDouble(readFixed(8));
            case INFO_INDEFINITE:
                throw CborException.at("unexpected break code", start);
            default:
                throw CborException.at("unassigned simple value " + (info == INFO_ONE_BYTE ? "(one-byte form)" : info),
                        start);
        }
    }

    /** Definite or chunked (indefinite) byte or text string; returns the raw bytes. */
    private Object readStringBody(int major, int info, int start) throws CborException {
        if (info != INFO_INDEFINITE) {
            int n = checkedLength(readArgument(info));
            byte[] bytes = new byte[n];
            System.arraycopy(input, position, bytes, 0, n);
            position += n;
            return bytes;
        }
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        while (!nextIsBreak()) {
            int chunkStart = position;
            int chunkInitial = readByte();
            if (majorOf(chunkInitial) != major || infoOf(chunkInitial) == INFO_INDEFINITE) {
                throw CborException.at("invalid chunk in an indefinite-length string", chunkStart);
            }
            int n = checkedLength(readArgument(infoOf(chunkInitial)));
            chunks.write(input, position, n);
            position += n;
        }
        position++;
        return chunks.toByteArray();
    }

    private long readArgument(int info) throws CborException {
        if (info < INFO_ONE_BYTE) {
            return info;
        }
        return switch (info) {
            case INFO_ONE_BYTE -> readFixed(1);
            case INFO_TWO_BYTES -> readFixed(2);
            case INFO_FOUR_BYTES -> readFixed(4);
            case INFO_EIGHT_BYTES -> readFixed(8);
            default -> throw CborException.at("invalid additional information " + info, position - 1);
        };
    }

    private long readFixed(int bytes) throws CborException {
        if (end - position < bytes) {
            throw new CborException("EOF while parsing a value at offset " + end);
        }
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (input[position++] & 0xff);
        }
        return value;
    }

    private int checkedLength(long length) throws CborException {
        if (length < 0 || length > end - position) {
            throw new CborException("EOF while parsing a value at offset " + end);
        }
        return (int) length;
    }

    private int checkedCount(long count) throws CborException {
        if (count < 0 || count > end - position) {
            throw new CborException("EOF while parsing a value at offset " + end);
        }
        return (int) count;
    }

    private int peekByte() throws CborException {
        if (position >= end) {
            throw eof();
        }
        return input[position] & 0xff;
    }

    private int readByte() throws CborException {
        int b = peekByte();
        position++;
        return b;
    }

    private CborException eof() {
        return new CborException(end == 0 ? "EOF while parsing a value" : "EOF while parsing a value at offset " + end);
    }

    private static String utf8(byte[] bytes, int start) throws CborException {
        String text = strictUtf8(bytes);
        if (text == null) {
            throw CborException.at("invalid UTF-8 in a text string", start);
        }
        return text;
    }

    /** Decodes UTF-8, or returns null when the bytes are not valid UTF-8. */
    public static String strictUtf8(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The kind of item an initial byte starts, in the reference's words. */
    public static String describeInitial(int initial) {
        return switch (majorOf(initial)) {
            case MAJOR_UNSIGNED, MAJOR_NEGATIVE -> "integer";
            case MAJOR_BYTES -> "byte array";
            case MAJOR_TEXT -> "string";
            case MAJOR_ARRAY -> "sequence";
            case MAJOR_MAP -> "map";
            case MAJOR_TAG -> "tag";
            default -> switch (infoOf(initial)) {
                case SIMPLE_FALSE, SIMPLE_TRUE -> "boolean";
                case SIMPLE_NULL, SIMPLE_UNDEFINED -> "null";
                case INFO_TWO_BYTES, INFO_FOUR_BYTES, INFO_EIGHT_BYTES -> "floating point";
                default -> "simple value";
            };
        };
    }

    /** A decoded value described as the reference does in "invalid type" errors. */
    public static String describeValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return "integer `" + value + "`";
        }
        if (value instanceof Double d) {
            return "floating point `" + formatFloat(d) + "`";
        }
        if (value instanceof Boolean b) {
            return "boolean `" + b + "`";
        }
        if (value instanceof String s) {
            return "string \"" + s + "\"";
        }
        if (value instanceof byte[]) {
            return "byte array";
        }
        if (value instanceof List) {
            return "sequence";
        }
        if (value instanceof Map) {
            return "map";
        }
        return value.getClass().getSimpleName();
    }

    private static String formatFloat(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
