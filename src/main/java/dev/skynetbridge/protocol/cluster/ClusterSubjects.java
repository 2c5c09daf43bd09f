package dev.skynetbridge.protocol.cluster;

import dev.skynetbridge.protocol.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * NATS subjects for Skynet channels, under one prefix ({@code skynet} by default):
 * <ul>
 *   <li>{@code <prefix>.n.<number>} for a numeric channel ({@code skynet.n.42}, {@code skynet.n.-1});
 *   <li>{@code <prefix>.s.<token>} for a string channel, the name escaped into one subject token: letters, digits,
 *       {@code _} and {@code -} stay, every other UTF-8 byte becomes {@code %XX} ({@code "a.b"} is {@code a%2Eb}),
 *       the empty name is a lone {@code %};
 *   <li>{@code <prefix>.h.<sha-256>} for a name whose token would be longer than {@value #MAX_TOKEN_LENGTH}
 *       characters (NATS limits a protocol line's length); the envelope still carries the name;
 *   <li>{@code <prefix>.w} for messages sent to {@code "*"}.
 * </ul>
 * So {@code 5} ({@code n.5}) and {@code "5"} ({@code s.5}) stay apart, no name can produce a NATS wildcard or
 * separator, and {@code <prefix>.>} is every message of the cluster.
 *
 * <p>The nodes' announcements of themselves ({@link NodeAnnouncement}) go on {@code <prefix>~nodes}
 * ({@link #nodes()}): outside {@code <prefix>.>}, so a node subscribed to every message for a {@code "*"} listener
 * never reads one as a message, and never a channel subject of any prefix: every token of a channel subject is a
 * prefix token ({@code [A-Za-z0-9_-]}), {@code n}/{@code s}/{@code h}/{@code w}, or a channel token (digits and
 * {@code -}, escaped names of {@code [A-Za-z0-9_%-]}, hex), and none of those holds a {@code ~}.
 */
public final class ClusterSubjects {

    /** Longest escaped name carried in the subject itself. */
    public static final int MAX_TOKEN_LENGTH = 240;

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final String prefix;
    private final String numeric;
    private final String string;
    private final String hashed;
    private final String wildcard;
    private final String everything;
    private final String nodes;

    public ClusterSubjects(String prefix) {
        if (prefix == null || prefix.isEmpty() || !prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            throw new IllegalArgumentException("cluster subject prefix '" + prefix + "' must be NATS subject tokens"
                    + " (letters, digits, _ and -) separated by dots, e.g. skynet or home.skynet");
        }
        this.prefix = prefix;
        this.numeric = prefix + ".n.";
        this.string = prefix + ".s.";
        this.hashed = prefix + ".h.";
        this.wildcard = prefix + ".w";
        this.everything = prefix + ".>";
        this.nodes = prefix + "~nodes";
    }

    /** The subject of the nodes' announcements (see the class comment for why it can be no channel's). */
    public String nodes() {
        return nodes;
    }

    public String prefix() {
        return prefix;
    }

    /** What a node with a {@code "*"} listener subscribes to: every message of the cluster. */
    public String everything() {
        return everything;
    }

    /** The subject messages sent to this channel are published on. */
    public String subjectOf(Channel channel) {
        if (channel.isWildcard()) {
            return wildcard;
        }
        if (channel.isNumeric()) {
            return numeric + channel.number();
        }
        String token = escape(channel.name());
        return token.length() <= MAX_TOKEN_LENGTH ? string + token : hashed + sha256(channel.name());
    }

    /** The channel of a subject this class produced; empty for a hashed name or a subject not of this prefix. */
    public Optional<Channel> channelOf(String subject) {
        if (subject.equals(wildcard)) {
            return Optional.of(Channel.WILDCARD);
        }
        try {
            if (subject.startsWith(numeric)) {
                return Optional.of(Channel.of(Long.parseLong(subject.substring(numeric.length()))));
            }
            if (subject.startsWith(string)) {
                return Optional.of(Channel.of(unescape(subject.substring(string.length()))));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** One subject token for any string: reversible by {@link #unescape(String)}. */
    static String escape(String name) {
        if (name.isEmpty()) {
            return "%";
        }
        StringBuilder token = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                token.append((char) c);
            } else {
                token.append('%').append(HEX.toHighHexDigit(c)).append(HEX.toLowHexDigit(c));
            }
        }
        return token.toString();
    }

    static String unescape(String token) {
        if (token.equals("%")) {
            return "";
        }
        byte[] bytes = new byte[token.length()];
        int length = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '%') {
                if (i + 3 > token.length()) {
                    throw new IllegalArgumentException("truncated escape in subject token " + token);
                }
                bytes[length++] = (byte) HexFormat.fromHexDigits(token, i + 1, i + 3);
                i += 2;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static String sha256(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
