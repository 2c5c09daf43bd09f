package dev.skynetbridge.protocol.cbor;

/** IEEE 754 binary16 conversions, needed because peers write the shortest exact float. */
public final class HalfFloat {

    /** Returned by {@link #exactBits(float)} when the value has no exact half form. */
    public static final int NOT_EXACT = -1;

    private HalfFloat() {
    }

    public static float toFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24, exact in float
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The binary16 bits of {@code value} if it converts without loss, else {@link #NOT_EXACT}. */
    public static int exactBits(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127;
        int mantissa = bits & 0x7fffff;
        if (Float.isNaN(value)) {
            return 0x7e00;
        }
        if (Float.isInfinite(value)) {
            return sign | 0x7c00;
        }
        if ((bits & 0x7fffffff) == 0) {
            return sign;
        }
        if (exponent >= -14 && exponent <= 15) {
            if ((mantissa & 0x1fff) != 0) {
                return NOT_EXACT;
            }
            return sign | ((exponent + 15) << 10) | (mantissa >>> 13);
        }
        if (exponent >= -24 && exponent < -14) {
            // Half subnormal: value = m * 2^-24 with m < 1024 and the float holding no lower bits.
            int shift = -14 - exponent; // 1..10
            int fullMantissa = mantissa | 0x800000;
            int dropped = 13 + shift;
            if ((fullMantissa & ((1 << dropped) - 1)) != 0) {
                return NOT_EXACT;
            }
            return sign | (fullMantissa >>> dropped);
        }
        return NOT_EXACT;
    }
}
