package dev.skynetbridge.server.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells a second copy of a cluster message from a new one. A node subscribed both to everything (for a
 * {@code "*"} listener) and to a channel gets a batch on that channel twice, once per subscription. NATS
 * delivers one publisher's messages to one connection in publish order, and both copies of one publish
 * back to back, so per entry-node run the sequence numbers a node sees only grow: a message whose number is
 * not above the last delivered one is a second copy. Used on the NATS connection's event loop; synchronized
 * anyway (uncontended, cheap), so it stays right if a connection's loop ever changes between reconnects.
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

    /**
     * A batch of {@code count} messages numbered from {@code firstSequence} arrived: returns how many of its first
     * messages were delivered already (0: all new; {@code count}: a second copy), and remembers the rest as delivered.
     */
    synchronized int seenBefore(String node, long instance, long firstSequence, int count) {
        long[] last = lastDelivered.computeIfAbsent(new Origin(node, instance), key -> new long[] {Long.MIN_VALUE});
        long lastSequence = firstSequence + count - 1;
        if (last[0] < firstSequence) {
            last[0] = lastSequence;
            return 0;
        }
        if (last[0] >= lastSequence) {
            return count;
        }
        int seen = (int) (last[0] - firstSequence + 1);
        last[0] = lastSequence;
        return seen;
    }
}
