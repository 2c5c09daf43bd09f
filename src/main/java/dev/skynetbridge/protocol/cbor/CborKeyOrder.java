package dev.skynetbridge.protocol.cbor;

import java.util.Comparator;

/**
 * The order in which the reference server (serde_cbor 0.9, a BTreeMap of keys) writes map
 * keys: integers, then byte strings, then text strings, then booleans, then null. Integers by
 * value, byte and text strings by their bytes (UTF-8 byte order is code point order).
 */
public final class CborKeyOrder implements Comparator<Object> {

    public static final CborKeyOrder INSTANCE = new CborKeyOrder();

    private CborKeyOrder() {
    }

    @Override
    public int compare(Object a, Object b) {
        int rankA = rank(a);
        int rankB = rank(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        return switch (rankA) {
            case 0 -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case 1 -> java.util.Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            case 2 -> compareCodePoints(a.toString(), b.toString());
            case 3 -> Boolean.compare((Boolean) a, (Boolean) b);
            default -> 0;
        };
    }

    private static int rank(Object key) {
        if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return 0;
        }
        if (key instanceof byte[]) {
            return 1;
        }
        if (key instanceof CharSequence) {
            return 2;
        }
        if (key instanceof Boolean) {
            return 3;
        }
        if (key == null) {
            return 4;
        }
        throw new IllegalArgumentException("A CBOR map key must be an integer, a string, bytes, a boolean or null, not "
                + key.getClass().getSimpleName());
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
