package dev.skynetbridge.server.cluster;

import java.util.ArrayDeque;

/**
 * Batches for the other nodes that wait while NATS is unreachable, oldest first, bounded by their bytes. When a
 * batch does not fit it is refused (the caller counts its messages as dropped): what was sent before it keeps its
 * order, and a long outage costs the newest messages, not memory. Not thread-safe: the sender guards it.
 */
final class ClusterOutbox {

    /** One NATS message: an encoded batch of {@code messages} messages. */
    record Pending(String subject, byte[] body, int messages) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final long capacityBytes;
    private long bytes;
    private int messages;

    ClusterOutbox(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Returns false (and keeps nothing) when the batch does not fit. */
    boolean offer(String subject, byte[] body, int batchMessages) {
        if (bytes + body.length > capacityBytes) {
            return false;
        }
        queue.addLast(new Pending(subject, body, batchMessages));
        bytes += body.length;
        messages += batchMessages;
        return true;
    }

    Pending peek() {
        return queue.peekFirst();
    }

    void removeFirst() {
        Pending first = queue.pollFirst();
        if (first != null) {
            bytes -= first.body().length;
            messages -= first.messages();
        }
    }

    /** Messages waiting (not batches). */
    int size() {
        return messages;
    }

    long bytes() {
        return bytes;
    }
}
