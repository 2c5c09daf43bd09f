package dev.skynetbridge.protocol.nats;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * NATS's NKey text forms of Ed25519 keys: base32 (RFC 4648, no padding) of a prefix, the 32 raw key bytes and a
 * CRC-16/XMODEM of both (little-endian). A user's public key starts with {@code U} (an account's {@code A}, an
 * operator's {@code O}); a seed (the private key) with {@code SU}: its first byte holds the seed prefix and the top
 * bits of the type, the second byte the rest.
 */
public final class NKeys {

    private static final int PREFIX_SEED = 18 << 3;
    private static final int PREFIX_USER = Role.USER.prefix;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int RAW_KEY_BYTES = 32;

    /** Whose key: the first character of its public key. Decentralized auth chains operator, account and user. */
    public enum Role {
        OPERATOR(14 << 3),
        ACCOUNT(0),
        USER(20 << 3);

        private final int prefix;

        Role(int prefix) {
            this.prefix = prefix;
        }
    }

    private NKeys() {
    }

    /** The raw 32-byte Ed25519 seed of a user seed ({@code SU...}); says what is wrong with one that is not. */
    public static byte[] userSeed(String encoded) {
        byte[] raw = base32Decode(encoded.trim());
        if (raw.length != 2 + RAW_KEY_BYTES + 2) {
            throw new IllegalArgumentException("an NKey seed decodes to 36 bytes, this one to " + raw.length);
        }
        checkCrc(raw);
        int prefix = raw[0] & 0xF8;
        int type = ((raw[0] & 0x07) << 5) | ((raw[1] & 0xF8) >> 3);
        if (prefix != PREFIX_SEED) {
            throw new IllegalArgumentException("not an NKey seed (it must start with 'S')");
        }
        if (type != PREFIX_USER) {
            throw new IllegalArgumentException("the NKey seed is not a user's (it must start with 'SU')");
        }
        return Arrays.copyOfRange(raw, 2, 2 + RAW_KEY_BYTES);
    }

    /** The {@code U...} form of a user's raw 32-byte Ed25519 public key. */
    public static String userPublicKey(byte[] rawPublicKey) {
        return publicKey(Role.USER, rawPublicKey);
    }

    /** The text form of a raw 32-byte Ed25519 public key: {@code O...}, {@code A...} or {@code U...}. */
    public static String publicKey(Role role, byte[] rawPublicKey) {
        checkLength(rawPublicKey);
        byte[] body = new byte[1 + RAW_KEY_BYTES];
        body[0] = (byte) role.prefix;
        System.arraycopy(rawPublicKey, 0, body, 1, RAW_KEY_BYTES);
        return base32(withCrc(body));
    }

    /** The {@code SU...} form of a user's raw 32-byte Ed25519 seed. */
    public static String userSeedText(byte[] rawSeed) {
        checkLength(rawSeed);
        byte[] body = new byte[2 + RAW_KEY_BYTES];
        body[0] = (byte) (PREFIX_SEED | (PREFIX_USER >> 5));
        body[1] = (byte) ((PREFIX_USER & 0x1F) << 3);
        System.arraycopy(rawSeed, 0, body, 2, RAW_KEY_BYTES);
        return base32(withCrc(body));
    }

    /** CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection. */
    static int crc16(byte[] data, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc ^= (data[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }

    private static void checkLength(byte[] key) {
        if (key.length != RAW_KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes, got " + key.length);
        }
    }

    private static byte[] withCrc(byte[] body) {
        int crc = crc16(body, 0, body.length);
        byte[] all = Arrays.copyOf(body, body.length + 2);
        all[body.length] = (byte) crc;
        all[body.length + 1] = (byte) (crc >> 8);
        return all;
    }

    private static void checkCrc(byte[] raw) {
        int expected = (raw[raw.length - 2] & 0xFF) | (raw[raw.length - 1] & 0xFF) << 8;
        if (crc16(raw, 0, raw.length - 2) != expected) {
            throw new IllegalArgumentException("the NKey's checksum does not match (a character is wrong or missing)");
        }
    }

    /** RFC 4648 base32 without padding, as NKeys (and the ids of NATS JWTs) write it. */
    public static String base32(byte[] data) {
        StringBuilder text = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                text.append(ALPHABET.charAt((buffer >> (bits - 5)) & 0x1F));
                bits -= 5;
            }
        }
        if (bits > 0) {
            text.append(ALPHABET.charAt((buffer << (5 - bits)) & 0x1F));
        }
        return text.toString();
    }

    static byte[] base32Decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int value = ALPHABET.indexOf(Character.toUpperCase(text.charAt(i)));
            if (value < 0) {
                throw new IllegalArgumentException("an NKey holds only A-Z and 2-7, found '" + text.charAt(i) + "'");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
