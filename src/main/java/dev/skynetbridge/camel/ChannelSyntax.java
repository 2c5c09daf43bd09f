package dev.skynetbridge.camel;

import dev.skynetbridge.protocol.Channel;

/**
 * How a channel is written in a {@code skynet:} URI or header.
 *
 * <ul>
 *   <li>{@code skynet:42}, {@code skynet:-7}: a number (a signed 64-bit integer) is a numeric channel;
 *   <li>{@code skynet:foo}: anything else is a string channel;
 *   <li>{@code skynet:s:42}: the string channel "42" ({@code s:} forces a string);
 *   <li>{@code skynet:n:42}: the numeric channel 42, the canonical form;
 *   <li>{@code skynet:*}: the wildcard (every channel).
 * </ul>
 */
public final class ChannelSyntax {

    private ChannelSyntax() {
    }

    public static Channel parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("A Skynet channel is required: skynet:42, skynet:foo, skynet:s:42 or skynet:*");
        }
        if (text.startsWith("s:")) {
            return Channel.of(text.substring(2));
        }
        if (text.startsWith("n:")) {
            return Channel.of(parseNumber(text.substring(2), text));
        }
        if (text.matches("-?[0-9]+")) {
            return Channel.of(parseNumber(text, text));
        }
        return Channel.of(text);
    }

    private static long parseNumber(String digits, String original) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Skynet channel '" + original
                    + "' is not a 64-bit integer; write s:" + digits + " for a string channel");
        }
    }

    /** A header value: a Channel, a whole number, or text in this syntax. */
    public static Channel fromHeader(Object value) {
        if (value instanceof Channel channel) {
            return channel;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return Channel.of(((Number) value).longValue());
        }
        if (value instanceof CharSequence text) {
            return parse(text.toString());
        }
        throw new IllegalArgumentException("Header " + SkynetConstants.OVERRIDE_CHANNEL
                + " must be a Channel, a whole number or text like 42 / s:foo, not " + value.getClass().getName());
    }
}
