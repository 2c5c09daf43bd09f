package dev.skynetbridge.server.acl;

import dev.skynetbridge.protocol.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The channels a list of patterns covers, compiled for lookups that do not depend on the number
 * of rules: hash sets for exact numbers and strings, merged sorted ranges searched by bisection,
 * and string prefixes grouped by length (one hash lookup per distinct prefix length).
 * Immutable, so any thread may ask.
 */
public final class ChannelSet {

    public static final ChannelSet NONE = new ChannelSet(false, Set.of(), new long[0], new long[0], Set.of(), Set.of(),
            new int[0]);
    public static final ChannelSet ALL = new ChannelSet(true, Set.of(), new long[0], new long[0], Set.of(), Set.of(),
            new int[0]);

    private final boolean everything;
    private final Set<Long> numbers;
    /** Disjoint ranges sorted by low bound: lows[i]..highs[i]. */
    private final long[] lows;
    private final long[] highs;
    private final Set<String> strings;
    private final Set<String> prefixes;
    /** The distinct prefix lengths, ascending. */
    private final int[] prefixLengths;
    /** Asked on every message (deny rules on the hot path): an empty set answers without a lookup. */
    private final boolean empty;

    private ChannelSet(boolean everything, Set<Long> numbers, long[] lows, long[] highs, Set<String> strings,
            Set<String> prefixes, int[] prefixLengths) {
        this.everything = everything;
        this.numbers = numbers;
        this.lows = lows;
        this.highs = highs;
        this.strings = strings;
        this.prefixes = prefixes;
        this.prefixLengths = prefixLengths;
        this.empty = !everything && numbers.isEmpty() && lows.length == 0 && strings.isEmpty() && prefixes.isEmpty();
    }

    public static ChannelSet of(Collection<ChannelPattern> patterns) {
        if (patterns.isEmpty()) {
            return NONE;
        }
        boolean everything = false;
        Set<Long> numbers = new HashSet<>();
        List<long[]> ranges = new ArrayList<>();
        Set<String> strings = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        TreeSet<Integer> lengths = new TreeSet<>();
        for (ChannelPattern pattern : patterns) {
            if (pattern instanceof ChannelPattern.Everything) {
                everything = true;
            } else if (pattern instanceof ChannelPattern.Number number) {
                numbers.add(number.value());
            } else if (pattern instanceof ChannelPattern.NumberRange range) {
                ranges.add(new long[] {range.low(), range.high()});
            } else if (pattern instanceof ChannelPattern.Text text) {
                strings.add(text.value());
            } else if (pattern instanceof ChannelPattern.TextPrefix prefix) {
                prefixes.add(prefix.prefix());
                lengths.add(prefix.prefix().length());
            }
        }
        if (everything) {
            return ALL;
        }
        long[][] merged = merge(ranges);
        return new ChannelSet(false, Set.copyOf(numbers), merged[0], merged[1], Set.copyOf(strings),
                Set.copyOf(prefixes), lengths.stream().mapToInt(Integer::intValue).toArray());
    }

    private static long[][] merge(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] range : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            // touching ranges merge too (1-5 and 6-9), without overflowing at Long.MAX_VALUE
            if (last != null && (range[0] <= last[1] || range[0] - 1 == last[1])) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(new long[] {range[0], range[1]});
            }
        }
        long[] lows = new long[merged.size()];
        long[] highs = new long[merged.size()];
        for (int i = 0; i < merged.size(); i++) {
            lows[i] = merged.get(i)[0];
            highs[i] = merged.get(i)[1];
        }
        return new long[][] {lows, highs};
    }

    /** Whether a pattern covers the channel. The wildcard channel {@code "*"} is covered only by {@code "*"}. */
    public boolean contains(Channel channel) {
        if (everything) {
            return true;
        }
        if (empty || channel.isWildcard()) {
            return false;
        }
        if (channel.isNumeric()) {
            long number = channel.number();
            return numbers.contains(number) || inRange(number);
        }
        String name = channel.name();
        if (strings.contains(name)) {
            return true;
        }
        for (int length : prefixLengths) {
            if (length > name.length()) {
                return false;
            }
            if (prefixes.contains(name.substring(0, length))) {
                return true;
            }
        }
        return false;
    }

    private boolean inRange(long number) {
        int index = Arrays.binarySearch(lows, number);
        if (index >= 0) {
            return true;
        }
        int before = -index - 2; // the last range starting below the number
        return before >= 0 && number <= highs[before];
    }

    /** {@code "*"} is among the patterns: every channel. */
    public boolean coversEverything() {
        return everything;
    }

    public boolean isEmpty() {
        return empty;
    }
}
