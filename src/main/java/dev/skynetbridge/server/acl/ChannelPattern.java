package dev.skynetbridge.server.acl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a rule's {@code channels} list. Numbers and strings stay apart, as on the wire:
 * {@code 42} / {@code "n:42"} the number, {@code "n:100-199"} a numeric range (inclusive),
 * {@code "s:42"} the string "42", {@code "s:turtle-*"} or {@code "turtle-*"} a string prefix,
 * {@code "door"} the string "door", {@code "*"} every channel, {@code %n} the token's name.
 */
public sealed interface ChannelPattern {

    /** {@code "*"}: every channel, the wildcard channel itself included. */
    record Everything() implements ChannelPattern {
    }

    record Number(long value) implements ChannelPattern {
    }

    record NumberRange(long low, long high) implements ChannelPattern {
    }

    record Text(String value) implements ChannelPattern {
    }

    record TextPrefix(String prefix) implements ChannelPattern {
    }

    String NAME_PLACEHOLDER = "%n";

    Pattern NUMBER = Pattern.compile("-?\\d+");
    Pattern RANGE = Pattern.compile("(-?\\d+)-(-?\\d+)");

    static ChannelPattern number(long value) {
        return new Number(value);
    }

    /**
     * Reads a pattern written as a YAML string.
     *
     * @param tokenName what {@code %n} stands for, or null where there is no name (the anonymous block)
     * @throws IllegalArgumentException with the problem, for the caller to prefix with file and line
     */
    static ChannelPattern parse(String text, String tokenName) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty channel pattern names nothing (a string channel is \"s:name\")");
        }
        if (text.equals("*")) {
            return new Everything();
        }
        if (NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is ambiguous: write " + text + " or \"n:" + text
                    + "\" for the number " + text + ", or \"s:" + text + "\" for the string \"" + text + "\"");
        }
        if (text.startsWith("n:")) {
            return parseNumeric(text.substring(2));
        }
        String value = text.startsWith("s:") ? text.substring(2) : text;
        if (value.contains(NAME_PLACEHOLDER)) {
            if (tokenName == null) {
                throw new IllegalArgumentException("%n stands for a token's name, and anonymous connections have none");
            }
            value = value.replace(NAME_PLACEHOLDER, tokenName);
        }
        int star = value.indexOf('*');
        if (star >= 0 && star < value.length() - 1) {
            throw new IllegalArgumentException("'*' may only end a string pattern (a prefix such as \"s:turtle-*\"), not"
                    + " appear inside \"" + text + "\"");
        }
        if (star == value.length() - 1) {
            return new TextPrefix(value.substring(0, star));
        }
        return new Text(value);
    }

    private static ChannelPattern parseNumeric(String text) {
        if (NUMBER.matcher(text).matches()) {
            return new Number(parseLong(text));
        }
        Matcher range = RANGE.matcher(text);
        if (range.matches()) {
            long low = parseLong(range.group(1));
            long high = parseLong(range.group(2));
            if (low > high) {
                throw new IllegalArgumentException("the range n:" + text + " is empty: write the lower bound first");
            }
            return new NumberRange(low, high);
        }
        throw new IllegalArgumentException("\"n:" + text + "\" is not a number or a range such as \"n:100-199\"");
    }

    private static long parseLong(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(digits + " is beyond a 64-bit channel number");
        }
    }
}
