package dev.skynetbridge.support;

import java.util.Collection;

/** "did you mean ...?" for a misspelt setting, key or name: the closest known one by edit distance. */
public final class NearestName {

    private NearestName() {
    }

    /** {@link #suggestion(String, Collection, int)} allowing a third of the name's length in edits (at least 2). */
    public static String suggestion(String given, Collection<String> known) {
        return suggestion(given, known, Math.max(2, given.length() / 3));
    }

    /**
     * {@code " (did you mean 'x'?)"} for the closest of {@code known} when it is at most {@code maxDistance} edits
     * away, or empty.
     */
    public static String suggestion(String given, Collection<String> known, int maxDistance) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(given, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= maxDistance ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance (insertions, deletions and substitutions). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
