package dev.skynetbridge.server.cluster;

import java.util.ArrayDeque;

/**
 * Messages for the other nodes that wait while NATS is unreachable, oldest first, bounded by their bytes. When a
 * message does not fit it is refused (the caller counts the drop): what was sent before it keeps its order, and a
 * long outage costs the newest messages, not memory. Not thread-safe: the link guards it.
 */
final class ClusterOutbox {

    record Pending(String subject, byte[] body) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final long capacityBytes;
    private long bytes;

    ClusterOutbox(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Returns false (and keeps nothing) when the message does not fit. */
    boolean offer(String subject, byte[] body) {
        if (bytes + body.length > capacityBytes) {
            return false;
        }
        queue.addLast(new Pending(subject, body));
        bytes += body.length;
        return true;
    }

    Pending peek() {
        return queue.peekFirst();
    }

    void removeFirst() {
        Pending first = queue.pollFirst();
        if (first != null) {
            bytes -= first.body().length;
        }
    }

    int size() {
        return queue.size();
    }

    long bytes() {
        return bytes;
    }
}
