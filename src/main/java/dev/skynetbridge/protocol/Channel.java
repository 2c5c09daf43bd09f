package dev.skynetbridge.protocol;

import java.util.Objects;

/**
 * A Skynet channel: a signed 64-bit integer or a text string. {@code 5} and {@code "5"} are
 * different channels; the string {@code "*"} is the wildcard.
 *
 * <p>The canonical text form ({@code n:42}, {@code s:foo}) is unambiguous and is what goes into
 * keys, headers and logs.
 */
public final class Channel implements Comparable<Channel> {

    public static final Channel WILDCARD = new Channel(false, 0, "*");

    private static final String NUMBER_PREFIX = "n:";
    private static final String STRING_PREFIX = "s:";

    private final boolean numeric;
    private final long number;
    private final String name;

    private Channel(boolean numeric, long number, String name) {
        this.numeric = numeric;
        this.number = number;
        this.name = name;
    }

    public static Channel of(long number) {
        return new Channel(true, number, null);
    }

    public static Channel of(String name) {
        Objects.requireNonNull(name, "channel name");
        return "*".equals(name) ? WILDCARD : new Channel(false, 0, name);
    }

    /** Parses the canonical form produced by {@link #canonical()}. */
    public static Channel parseCanonical(String text) {
        if (text != null && text.startsWith(NUMBER_PREFIX)) {
            try {
                return of(Long.parseLong(text.substring(NUMBER_PREFIX.length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a canonical numeric channel (n:<64-bit integer>): " + text);
            }
        }
        if (text != null && text.startsWith(STRING_PREFIX)) {
            return of(text.substring(STRING_PREFIX.length()));
        }
        throw new IllegalArgumentException(
                "Not a canonical channel: '" + text + "' (expected n:<integer> or s:<name>)");
    }

    /**
     * Builds a channel from a decoded plain value: a Long (or Integer/Short/Byte) is numeric, a
     * String is a string channel. Anything else is not a channel.
     */
    public static Channel fromValue(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return of(((Number) value).longValue());
        }
        if (value instanceof String s) {
            return of(s);
        }
        if (value instanceof Channel c) {
            return c;
        }
        throw new IllegalArgumentException("A channel is a 64-bit integer or a string, not "
                + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }

    public boolean isNumeric() {
        return numeric;
    }

    public boolean isWildcard() {
        return this == WILDCARD;
    }

    /** The number of a numeric channel. */
    public long number() {
        if (!numeric) {
            throw new IllegalStateException("Channel " + canonical() + " is not numeric");
        }
        return number;
    }

    /** The name of a string channel. */
    public String name() {
        if (numeric) {
            throw new IllegalStateException("Channel " + canonical() + " is not a string channel");
        }
        return name;
    }

    /** The channel as a plain value: a Long or a String. */
    public Object value() {
        return numeric ? (Object) number : name;
    }

    public String canonical() {
        return numeric ? NUMBER_PREFIX + number : STRING_PREFIX + name;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Channel other) || numeric != other.numeric) {
            return false;
        }
        return numeric ? number == other.number : name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return numeric ? Long.hashCode(number) : name.hashCode() * 31 + 1;
    }

    /** Numbers before strings; numbers by value, strings by text. */
    @Override
    public int compareTo(Channel o) {
        if (numeric != o.numeric) {
            return numeric ? -1 : 1;
        }
        return numeric ? Long.compare(number, o.number) : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
