package dev.skynetbridge.bench;

import io.vertx.core.buffer.Buffer;

/**
 * Reads the numeric channel and the 8-byte send timestamp out of a v2 push without decoding the
 * whole CBOR item: the load generator must not spend more per message than the server does.
 * It relies on the reference push layout {@code 82 67"message" bf 67"channel" <int> 67"message"
 * <bytes> ...} with no extra keys, which is what the load tool's own publishers produce.
 */
final class PushProbe {

    /** {@code 82 67 "message" bf 67 "channel"}: 18 bytes before the channel value. */
    private static final int CHANNEL_AT = 18;
    private static final byte ARRAY_OF_TWO = (byte) 0x82;
    private static final byte INDEFINITE_MAP = (byte) 0xbf;
    private static final byte TEXT_OF_SEVEN = (byte) 0x67;

    long channel;
    long sentNanos;

    /** True if the frame had the expected layout and the fields were read. */
    boolean read(Buffer frame) {
        int length = frame.length();
        if (length < CHANNEL_AT + 1 + 8 + 1 + 8 || frame.getByte(0) != ARRAY_OF_TWO
                || frame.getByte(9) != INDEFINITE_MAP) {
            return false;
        }
        int pos = CHANNEL_AT;
        int head = frame.getByte(pos++) & 0xff;
        if ((head >>> 5) != 0) {
            return false; // not an unsigned integer channel
        }
        int info = head & 0x1f;
        switch (info) {
            case 24 -> channel = frame.getUnsignedByte(pos++);
            case 25 -> {
                channel = frame.getUnsignedShort(pos);
                pos += 2;
            }
            case 26 -> {
                channel = frame.getUnsignedInt(pos);
                pos += 4;
            }
            case 27 -> {
                channel = frame.getLong(pos);
                pos += 8;
            }
            default -> {
                if (info > 27) {
                    return false;
                }
                channel = info;
            }
        }
        if (pos + 8 >= length || frame.getByte(pos) != TEXT_OF_SEVEN) {
            return false; // an extra key comes first: not one of ours
        }
        pos += 8;
        int bytesHead = frame.getByte(pos++) & 0xff;
        if ((bytesHead >>> 5) != 2) {
            return false; // payload is not a byte string
        }
        int bytesInfo = bytesHead & 0x1f;
        if (bytesInfo == 24) {
            pos += 1;
        } else if (bytesInfo == 25) {
            pos += 2;
        } else if (bytesInfo > 25) {
            return false;
        }
        if (pos + 8 > length) {
            return false;
        }
        sentNanos = frame.getLong(pos);
        return true;
    }
}
