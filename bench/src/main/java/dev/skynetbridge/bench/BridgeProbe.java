package dev.skynetbridge.bench;

/**
 * Reads the two numbers {@link BridgeLoadTool} puts into every payload, {@code {"t": <send
 * nanoTime>, "seq": <sequence>}}, out of what arrives at the far side of a bridge, without
 * decoding the whole message: an MQTT body in JSON ({@code {"t":123,"seq":4}}) or CBOR (the
 * payload map), or a Kafka archive record (the v2 push, whose {@code message} is the payload map;
 * or the JSON record, whose {@code "message"} object holds the keys). The receiver must not cost
 * more per message than the bridge does.
 */
final class BridgeProbe {

    private static final byte[] JSON_T = {'"', 't', '"', ':'};
    private static final byte[] JSON_SEQ = {'"', 's', 'e', 'q', '"', ':'};

    long sentNanos;
    long seq;

    /** True if both numbers were found; JSON when the body starts with '{', CBOR otherwise. */
    boolean read(byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        return body[0] == '{' ? readJson(body) : readCbor(body);
    }

    boolean readJson(byte[] body) {
        int t = indexOf(body, JSON_T, 0);
        int s = indexOf(body, JSON_SEQ, 0);
        if (t < 0 || s < 0) {
            return false;
        }
        long tValue = jsonNumber(body, t + JSON_T.length);
        long sValue = jsonNumber(body, s + JSON_SEQ.length);
        if (tValue < 0 || sValue < 0) {
            return false;
        }
        sentNanos = tValue;
        seq = sValue;
        return true;
    }

    /**
     * Walks the CBOR item (a payload map, or a push that holds one) and takes the first {@code "t"}
     * and {@code "seq"} map entries with unsigned integer values. A walk, not a byte search: the
     * 8-byte numbers can contain the bytes of a key.
     */
    boolean readCbor(byte[] body) {
        cbor = body;
        at = 0;
        gotT = false;
        gotSeq = false;
        try {
            skipItem(0);
        } catch (ArrayIndexOutOfBoundsException | IllegalStateException e) {
            return false;
        }
        return gotT && gotSeq;
    }

    private byte[] cbor;
    private int at;
    private boolean gotT;
    private boolean gotSeq;

    private void skipItem(int depth) {
        if (depth > 16) {
            throw new IllegalStateException("too deep");
        }
        int head = cbor[at++] & 0xff;
        int major = head >>> 5;
        int info = head & 0x1f;
        boolean indefinite = info == 31;
        long argument = indefinite ? -1 : argument(info);
        switch (major) {
            case 0, 1 -> { }
            case 2, 3 -> {
                if (indefinite) {
                    while ((cbor[at] & 0xff) != 0xff) {
                        skipItem(depth + 1);
                    }
                    at++;
                } else {
                    at = Math.addExact(at, (int) argument);
                }
            }
            case 4 -> {
                for (long i = 0; indefinite ? (cbor[at] & 0xff) != 0xff : i < argument; i++) {
                    skipItem(depth + 1);
                }
                if (indefinite) {
                    at++;
                }
            }
            case 5 -> {
                for (long i = 0; indefinite ? (cbor[at] & 0xff) != 0xff : i < argument; i++) {
                    entry(depth + 1);
                }
                if (indefinite) {
                    at++;
                }
            }
            case 6 -> skipItem(depth + 1);
            default -> {
                if (indefinite) {
                    throw new IllegalStateException("unexpected break");
                }
            }
        }
    }

    /** One map entry: a "t" or "seq" key with an unsigned value is taken, anything else skipped. */
    private void entry(int depth) {
        int key = 0;
        if ((cbor[at] & 0xff) == 0x61 && cbor[at + 1] == 't') {
            key = 1;
            at += 2;
        } else if ((cbor[at] & 0xff) == 0x63 && cbor[at + 1] == 's' && cbor[at + 2] == 'e' && cbor[at + 3] == 'q') {
            key = 2;
            at += 4;
        } else {
            skipItem(depth);
        }
        if (key != 0 && (cbor[at] & 0xff) >>> 5 == 0 && !(key == 1 ? gotT : gotSeq)) {
            long value = argument(cbor[at++] & 0x1f);
            if (key == 1) {
                sentNanos = value;
                gotT = true;
            } else {
                seq = value;
                gotSeq = true;
            }
            return;
        }
        skipItem(depth);
    }

    /** The head's argument (0..27 additional info), reading the bytes that follow it. */
    private long argument(int info) {
        int size = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> {
                if (info > 27) {
                    throw new IllegalStateException("reserved additional info " + info);
                }
                yield 0;
            }
        };
        if (size == 0) {
            return info;
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (cbor[at++] & 0xff);
        }
        return value;
    }

    /** Non-negative decimal digits at {@code at} (spaces first allowed), or -1. */
    private static long jsonNumber(byte[] body, int at) {
        int i = at;
        while (i < body.length && body[i] == ' ') {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < body.length && body[i] >= '0' && body[i] <= '9' && digits < 19) {
            value = value * 10 + (body[i++] - '0');
            digits++;
        }
        return digits == 0 ? -1 : value;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
