package dev.skynetbridge.protocol.cbor;

import static dev.skynetbridge.protocol.cbor.CborConstants.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes plain Java values as CBOR exactly as the reference server re-emits them: shortest
 * integer and length heads, definite-length arrays and maps, map keys in {@link CborKeyOrder},
 * floats in the shortest width that holds them exactly (half, single, double), no tags.
 *
 * <p>Jackson's CBORGenerator cannot write a half-precision float inside a definite-length
 * container, and its parser turns integer map keys into strings, so neither direction can keep
 * {@code 1} and {@code "1"} apart as the reference does; this small writer and {@link CborReader}
 * exist for that reason.
 */
public final class CborWriter {

    private byte[] buffer;
    private int length;

    public CborWriter() {
        this(128);
    }

    public CborWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    public int size() {
        return length;
    }

    public CborWriter writeValue(Object value) {
        if (value == null) {
            writeByte(0xe0 | SIMPLE_NULL);
        } else if (value instanceof String s) {
            writeText(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            writeByte(0xe0 | (b ? SIMPLE_TRUE : SIMPLE_FALSE));
        } else if (value instanceof byte[] bytes) {
            writeBytes(bytes);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map);
        } else if (value instanceof Collection<?> list) {
            writeHead(MAJOR_ARRAY, list.size());
            for (Object item : list) {
                writeValue(item);
            }
        } else if (value instanceof Object[] array) {
            writeHead(MAJOR_ARRAY, array.length);
            for (Object item : array) {
                writeValue(item);
            }
        } else if (value instanceof BigInteger big) {
            writeBigInteger(big);
        } else if (value instanceof BigDecimal decimal) {
            writeDouble(decimal.doubleValue());
        } else if (value instanceof CharSequence text) {
            writeText(text.toString());
        } else if (value instanceof Character c) {
            writeText(c.toString());
        } else {
            throw new IllegalArgumentException("Cannot write a " + value.getClass().getName()
                    + " as CBOR: convert it to a Map, List, String, number, Boolean, byte[] or null first");
        }
        return this;
    }

    private void writeMap(Map<?, ?> map) {
        writeHead(MAJOR_MAP, map.size());
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (entries.size() > 1) {
            entries.sort((x, y) -> CborKeyOrder.INSTANCE.compare(x.getKey(), y.getKey()));
        }
        for (Map.Entry<?, ?> entry : entries) {
            writeValue(entry.getKey());
            writeValue(entry.getValue());
        }
    }

    public CborWriter writeText(String text) {
        int n = text.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            writeHead(MAJOR_TEXT, n);
            ensure(n);
            text.getBytes(0, n, buffer, length); // ASCII only: the deprecated method is exact and copy-free
            length += n;
        } else {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            writeHead(MAJOR_TEXT, utf8.length);
            writeRaw(utf8, 0, utf8.length);
        }
        return this;
    }

    public CborWriter writeBytes(byte[] bytes) {
        writeHead(MAJOR_BYTES, bytes.length);
        writeRaw(bytes, 0, bytes.length);
        return this;
    }

    public CborWriter writeLong(long value) {
        if (value >= 0) {
            writeHead(MAJOR_UNSIGNED, value);
        } else {
            writeHead(MAJOR_NEGATIVE, -1 - value);
        }
        return this;
    }

    private void writeBigInteger(BigInteger value) {
        if (value.bitLength() < 64) {
            writeLong(value.longValue());
            return;
        }
        BigInteger magnitude = value.signum() >= 0 ? value : value.negate().subtract(BigInteger.ONE);
        if (magnitude.bitLength() > 64) {
            throw new IllegalArgumentException("Integer " + value + " does not fit in CBOR's 64-bit range");
        }
        writeHead(value.signum() >= 0 ? MAJOR_UNSIGNED : MAJOR_NEGATIVE, magnitude.longValue());
    }

    /** Shortest exact width: half, then single, then double; NaN and infinities as halves. */
    public CborWriter writeDouble(double value) {
        float single = (float) value;
        if (Double.isNaN(value) || Double.isInfinite(value) || (double) single == value) {
            int half = HalfFloat.exactBits(single);
            if (half != HalfFloat.NOT_EXACT) {
                ensure(3);
                buffer[length++] = (byte) FLOAT16;
                buffer[length++] = (byte) (half >>> 8);
                buffer[length++] = (byte) half;
            } else {
                writeByte(FLOAT32);
                writeInt32(Float.floatToRawIntBits(single));
            }
        } else {
            writeByte(FLOAT64);
            long bits = Double.doubleToRawLongBits(value);
            writeInt32((int) (bits >>> 32));
            writeInt32((int) bits);
        }
        return this;
    }

    public CborWriter writeArrayHead(int size) {
        writeHead(MAJOR_ARRAY, size);
        return this;
    }

    public CborWriter writeIndefiniteMapStart() {
        writeByte(INDEFINITE_MAP);
        return this;
    }

    public CborWriter writeBreak() {
        writeByte(BREAK);
        return this;
    }

    /** Appends bytes that already hold one or more complete CBOR items. */
    public CborWriter writeEncoded(byte[] encoded) {
        writeRaw(encoded, 0, encoded.length);
        return this;
    }

    /** A head with the shortest argument encoding; {@code argument} is read as unsigned 64-bit. */
    public void writeHead(int major, long argument) {
        int top = major << 5;
        ensure(9);
        if (argument >= 0 && argument < 24) {
            buffer[length++] = (byte) (top | (int) argument);
        } else if (argument >= 0 && argument <= 0xff) {
            buffer[length++] = (byte) (top | INFO_ONE_BYTE);
            buffer[length++] = (byte) argument;
        } else if (argument >= 0 && argument <= 0xffff) {
            buffer[length++] = (byte) (top | INFO_TWO_BYTES);
            buffer[length++] = (byte) (argument >>> 8);
            buffer[length++] = (byte) argument;
        } else if (argument >= 0 && argument <= 0xffffffffL) {
            buffer[length++] = (byte) (top | INFO_FOUR_BYTES);
            writeInt32((int) argument);
        } else {
            buffer[length++] = (byte) (top | INFO_EIGHT_BYTES);
            writeInt32((int) (argument >>> 32));
            writeInt32((int) argument);
        }
    }

    private void writeInt32(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void writeByte(int b) {
        ensure(1);
        buffer[length++] = (byte) b;
    }

    private void writeRaw(byte[] bytes, int offset, int count) {
        ensure(count);
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
