package dev.skynetbridge.server.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells a second copy of a cluster message from a new one. A node subscribed both to everything (for a
 * {@code "*"} listener) and to a channel gets a message on that channel twice, once per subscription. NATS
 * delivers one publisher's messages to one connection in publish order, and both copies of one publish
 * back to back, so per entry-node run the sequence numbers a node sees only grow: a copy whose number is
 * not above the last delivered one is a second copy. Synchronized: the dispatcher of a lost connection may
 * still be finishing while the next one starts.
 */
final class CopyFilter {

    /** Entry-node runs remembered; the least recently heard from is forgotten first. */
    static final int MAX_ORIGINS = 4096;

    private record Origin(String node, long instance) {
    }

    private final Map<Origin, long[]> lastDelivered = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Origin, long[]> eldest) {
            return size() > MAX_ORIGINS;
        }
    };

    /** Returns true the first time a message is seen, false for a second copy. */
    synchronized boolean firstCopy(String node, long instance, long sequence) {
        long[] last = lastDelivered.computeIfAbsent(new Origin(node, instance), key -> new long[] {Long.MIN_VALUE});
        if (sequence <= last[0]) {
            return false;
        }
        last[0] = sequence;
        return true;
    }
}
