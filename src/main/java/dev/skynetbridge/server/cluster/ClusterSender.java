package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.cluster.ClusterEnvelope;
import dev.skynetbridge.protocol.cluster.ClusterSubjects;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.support.RateLimitedWarning;
import io.nats.client.Connection;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing side of a {@link ClusterLink}: stamps each message that entered here with this run's sequence number,
 * publishes it on its channel's subject, and while NATS is away keeps it in the bounded {@link ClusterOutbox} (then
 * drops it, counted, with a rate-limited WARN); what waited goes out first, in order, when NATS is back.
 *
 * <p>Sequence numbers are given and messages handed to NATS under one lock, so NATS gets them in sequence order:
 * what {@link CopyFilter} on the other nodes relies on.
 */
final class ClusterSender {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);
    /** NATS's own queue of messages written to the socket; past it a publish is refused (counted as dropped). */
    static final int MAX_OUTGOING_MESSAGES = 65_536;
    /** Messages moved from the buffer to NATS per turn of the lock after a reconnect, so publishers are not held up. */
    private static final int DRAIN_BATCH = 256;

    private final ClusterOptions options;
    private final ClusterSubjects subjects;
    private final ClusterMetrics metrics;
    private final long instance = new SecureRandom().nextLong();
    private final RateLimitedWarning dropWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);

    private final Object sendLock = new Object();
    private final ClusterOutbox outbox;
    private long sequence;
    /** Publishing straight to NATS; false while NATS is away or the buffer is being drained. Guarded by sendLock. */
    private boolean sending;
    private volatile Connection connection;
    private volatile boolean closed;

    ClusterSender(ClusterOptions options, ClusterSubjects subjects, ClusterMetrics metrics) {
        this.options = options;
        this.subjects = subjects;
        this.metrics = metrics;
        this.outbox = new ClusterOutbox(options.bufferBytes());
        metrics.bufferGauges(this::bufferedMessages, this::bufferedBytes);
    }

    /** A new connection: send what waited, then publish straight away. On NATS's connection-event thread. */
    void connected(Connection current) {
        connection = current;
        drain();
    }

    /** The connection is gone: buffer from now on. Returns whether messages were going straight to NATS. */
    boolean lost() {
        synchronized (sendLock) {
            boolean was = sending;
            sending = false;
            connection = null;
            return was;
        }
    }

    void close() {
        closed = true;
    }

    /** On the publisher's thread: never blocks (beyond the lock, held for one publish). */
    void forward(Delivery delivery) {
        synchronized (sendLock) {
            sequence++;
            ClusterEnvelope envelope = new ClusterEnvelope(options.nodeId(), instance, sequence, delivery.message());
            String subject = subjects.subjectOf(delivery.message().channel());
            byte[] body = envelope.encode();
            if (sending) {
                publish(subject, body);
            } else {
                buffer(subject, body);
            }
        }
    }

    /** Called under sendLock. */
    private void buffer(String subject, byte[] body) {
        if (!outbox.offer(subject, body)) {
            drop("the buffer for NATS's absence is full (" + options.bufferBytes() + " bytes)");
        }
    }

    /** Hands one message to NATS, or buffers it when the connection was just lost. Called under sendLock. */
    private void publish(String subject, byte[] body) {
        Connection current = connection;
        try {
            current.publish(subject, body);
            metrics.sent.increment();
        } catch (IllegalStateException e) {
            if (current.getStatus() == Connection.Status.CONNECTED) {
                drop("NATS's outgoing queue is full (" + MAX_OUTGOING_MESSAGES + " messages): NATS is slower than"
                     + " the traffic");
            } else {
                sending = false; // lost under our feet: buffer from here on, until the next connection drains
                buffer(subject, body);
            }
        }
    }

    private void drop(String why) {
        metrics.dropped.increment();
        dropWarning.warn("Cluster: node {}: a message for the other nodes was dropped, {}; {} dropped so far",
                options.nodeId(), why, metrics.dropped());
    }

    /**
     * Sends what waited for NATS, in order, a batch per turn of the lock (publishers meanwhile append to the buffer,
     * behind it); then publishes go straight to NATS. Runs on NATS's connection-event thread.
     */
    private void drain() {
        while (!closed) {
            boolean queueFull = false;
            synchronized (sendLock) {
                Connection current = connection;
                if (current == null || current.getStatus() != Connection.Status.CONNECTED) {
                    return; // lost again: the next connection drains
                }
                for (int i = 0; i < DRAIN_BATCH && outbox.peek() != null && !queueFull; i++) {
                    ClusterOutbox.Pending next = outbox.peek();
                    try {
                        current.publish(next.subject(), next.body());
                        outbox.removeFirst();
                        metrics.sent.increment();
                    } catch (IllegalStateException e) {
                        queueFull = true;
                    }
                }
                if (outbox.peek() == null) {
                    sending = true;
                    return;
                }
            }
            if (queueFull) {
                pauseWhileNatsWrites();
            }
        }
    }

    /** NATS's own queue is full while the buffer drains: give its writer a moment (not a publisher's thread). */
    private static void pauseWhileNatsWrites() {
        try {
            TimeUnit.MILLISECONDS.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int bufferedMessages() {
        synchronized (sendLock) {
            return outbox.size();
        }
    }

    long bufferedBytes() {
        synchronized (sendLock) {
            return outbox.bytes();
        }
    }
}
