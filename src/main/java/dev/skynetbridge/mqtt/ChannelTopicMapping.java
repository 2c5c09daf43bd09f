package dev.skynetbridge.mqtt;

import dev.skynetbridge.protocol.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The reversible mapping between Skynet channels and MQTT topics.
 *
 * <pre>
 *   numeric channel 42        &lt;prefix&gt;/n/42
 *   string channel "42"       &lt;prefix&gt;/s/42
 *   string channel "a/b+#"    &lt;prefix&gt;/s/a%2Fb%2B%23
 *   string channel "$SYS"     &lt;prefix&gt;/s/%24SYS
 *   string channel "*"        &lt;prefix&gt;/s/*          (messages sent TO the wildcard channel)
 *   listen to every channel   &lt;prefix&gt;/#            (Skynet * as an MQTT subscription)
 * </pre>
 *
 * <p>The {@code n}/{@code s} level keeps a numeric and a string channel apart, so each comes back as
 * what it was. In a string channel's name, {@code %}, {@code /}, {@code +}, {@code #}, NUL and a
 * leading {@code $} are percent-encoded ({@code %25 %2F %2B %23 %00 %24}): a name is always exactly one
 * topic level, never a wildcard, never a {@code $SYS}-like topic. Everything else stays as it is (UTF-8).
 * Numbers are written in canonical decimal; the reverse mapping accepts only that form, so the
 * mapping is a bijection.
 */
public final class ChannelTopicMapping {

    public static final String DEFAULT_PREFIX = "skynet";

    private static final String NUMERIC_LEVEL = "n";
    private static final String STRING_LEVEL = "s";

    private final String prefix;

    /**
     * @param prefix the topic levels before the channel ({@code skynet}, {@code home/skynet}); empty for none.
     *     Must not contain {@code +}, {@code #} or NUL, nor start or end with {@code /}.
     */
    public ChannelTopicMapping(String prefix) {
        this.prefix = validatePrefix(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The topic a message on {@code channel} is published to. */
    public String topicFor(Channel channel) {
        return levelPrefix() + (channel.isNumeric()
                ? NUMERIC_LEVEL + "/" + channel.number()
                : STRING_LEVEL + "/" + escape(channel.name()));
    }

    /**
     * The MQTT subscription that receives what is published for {@code channel}: the wildcard
     * channel {@code *} means every channel ({@code <prefix>/#}).
     */
    public String subscriptionFor(Channel channel) {
        if (channel.isWildcard()) {
            return prefix.isEmpty() ? "#" : prefix + "/#";
        }
        return topicFor(channel);
    }

    /**
     * The channel a topic stands for, or empty when the topic is not one this mapping produces
     * (outside the prefix, wrong level, bad escape, non-canonical number).
     */
    public Optional<Channel> channelFor(String topic) {
        return parse(topic).channel();
    }

    /** Like {@link #channelFor} but says why a topic does not map, for the log line. */
    public Parsed parse(String topic) {
        if (topic == null) {
            return Parsed.invalid("no topic");
        }
        String levels = levelPrefix();
        if (!topic.startsWith(levels)) {
            return Parsed.invalid("does not start with '" + levels + "'");
        }
        String rest = topic.substring(levels.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Parsed.invalid("expected " + levels + "n/<number> or " + levels + "s/<name>");
        }
        String kind = rest.substring(0, slash);
        String value = rest.substring(slash + 1);
        if (NUMERIC_LEVEL.equals(kind)) {
            try {
                long number = Long.parseLong(value);
                if (!Long.toString(number).equals(value)) {
                    return Parsed.invalid("'" + value + "' is not a number in canonical form");
                }
                return Parsed.of(Channel.of(number));
            } catch (NumberFormatException e) {
                return Parsed.invalid("'" + value + "' is not a 64-bit integer");
            }
        }
        if (STRING_LEVEL.equals(kind)) {
            if (value.indexOf('/') >= 0) {
                return Parsed.invalid("a string channel is one topic level; '/' in a name is written %2F");
            }
            try {
                return Parsed.of(Channel.of(unescape(value)));
            } catch (IllegalArgumentException e) {
                return Parsed.invalid(e.getMessage());
            }
        }
        return Parsed.invalid("the level after the prefix is '" + kind + "', expected n or s");
    }

    private String levelPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    static String escape(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '/' -> out.append("%2F");
                case '+' -> out.append("%2B");
                case '#' -> out.append("%23");
                case '\0' -> out.append("%00");
                case '$' -> out.append(i == 0 ? "%24" : "$");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Decodes {@code %XX} sequences (bytes of UTF-8, hex digits in either case); a {@code %} without two
     * hex digits, or a raw leading {@code $} (this mapping writes it as {@code %24}), is an error.
     */
    static String unescape(String level) {
        if (level.startsWith("$")) {
            throw new IllegalArgumentException("a leading '$' in a name is written %24");
        }
        if (level.indexOf('%') < 0) {
            return level;
        }
        byte[] utf8 = level.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '%') {
                out.write(b);
                continue;
            }
            int high = i + 1 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
            int low = i + 2 < utf8.length ? Character.digit(utf8[i + 2], 16) : -1;
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("'%' at byte " + i + " must be followed by two hex digits");
            }
            out.write(high << 4 | low);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String validatePrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("topic prefix must not be null (use \"\" for none)");
        }
        if (prefix.indexOf('+') >= 0 || prefix.indexOf('#') >= 0 || prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must not contain +, # or NUL");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must not start or end with /");
        }
        return prefix;
    }

    /** The outcome of reading a topic: a channel, or why there is none. */
    public record Parsed(Optional<Channel> channel, String problem) {
        static Parsed of(Channel channel) {
            return new Parsed(Optional.of(channel), null);
        }

        static Parsed invalid(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }
}
