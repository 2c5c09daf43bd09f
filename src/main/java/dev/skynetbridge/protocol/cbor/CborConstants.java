package dev.skynetbridge.protocol.cbor;

/** CBOR (RFC 8949) wire constants. */
public final class CborConstants {

    public static final int MAJOR_UNSIGNED = 0;
    public static final int MAJOR_NEGATIVE = 1;
    public static final int MAJOR_BYTES = 2;
    public static final int MAJOR_TEXT = 3;
    public static final int MAJOR_ARRAY = 4;
    public static final int MAJOR_MAP = 5;
    public static final int MAJOR_TAG = 6;
    public static final int MAJOR_SIMPLE = 7;

    public static final int INFO_ONE_BYTE = 24;
    public static final int INFO_TWO_BYTES = 25;
    public static final int INFO_FOUR_BYTES = 26;
    public static final int INFO_EIGHT_BYTES = 27;
    public static final int INFO_INDEFINITE = 31;

    public static final int SIMPLE_FALSE = 20;
    public static final int SIMPLE_TRUE = 21;
    public static final int SIMPLE_NULL = 22;
    public static final int SIMPLE_UNDEFINED = 23;

    public static final int BREAK = 0xff;
    public static final int INDEFINITE_MAP = 0xbf;
    public static final int INDEFINITE_ARRAY = 0x9f;
    public static final int FLOAT16 = 0xf9;
    public static final int FLOAT32 = 0xfa;
    public static final int FLOAT64 = 0xfb;

    private CborConstants() {
    }

    public static int majorOf(int initialByte) {
        return (initialByte & 0xff) >>> 5;
    }

    public static int infoOf(int initialByte) {
        return initialByte & 0x1f;
    }
}
