package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.cluster.ClusterBatch;
import dev.skynetbridge.protocol.cluster.ClusterSubjects;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.support.RateLimitedWarning;
import dev.skynetbridge.server.cluster.nats.NatsConnection;
import dev.skynetbridge.server.cluster.nats.NatsWrites;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing side of a {@link ClusterLink}: stamps each message that entered here with this run's sequence number
 * and publishes it on its channel's subject, several consecutive messages of one subject in one NATS message
 * ({@link ClusterBatch}); while NATS is away the batches wait in the bounded {@link ClusterOutbox} (then are dropped,
 * counted, with a rate-limited WARN); what waited goes out first, in order, when NATS is back.
 *
 * <p>Batching costs no waiting: a batch gathers what one turn of a Vert.x event loop forwards (a websocket read that
 * carried several frames) and goes out at the end of that turn (or {@code sendLingerMillis} later, by a timer of that
 * loop), or earlier when it is full ({@link #MAX_BATCH_MESSAGES}, {@link #MAX_BATCH_BYTES}), when a message for
 * another subject or from another thread comes, or at once for a publisher that is not on an event loop. The NATS
 * connection's event loop here (when the publisher is on another one) and the receiving nodes' event loops then wake
 * once per batch instead of once per message.
 *
 * <p>Sequence numbers are given, batches closed and handed to NATS under one lock, so NATS gets the messages in
 * sequence order (one batch holds consecutive numbers; only one batch is open at a time): what {@link CopyFilter} on
 * the other nodes relies on, and a {@code "*"} listener elsewhere sees this node's messages in the order they entered.
 */
final class ClusterSender {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);
    /** Messages in one batch at most. */
    static final int MAX_BATCH_MESSAGES = 128;
    /** Encoded message bytes in one batch at most, unless one message alone is larger (it then goes alone). */
    static final int MAX_BATCH_BYTES = 64 * 1024;
    /** Batches moved from the buffer to NATS per turn of the lock after a reconnect, so publishers are not held up. */
    private static final int DRAIN_BATCH = 64;

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
    private volatile NatsConnection connection;
    private volatile boolean closed;

    /** The open batch (empty: none), guarded by sendLock: its subject, first sequence, messages and their bytes. */
    private final List<byte[]> open = new ArrayList<>();
    private String openSubject;
    private long openFirstSequence;
    private int openBytes;
    /** The thread whose turn the open batch belongs to: only it adds to the batch. */
    private Thread openOwner;

    ClusterSender(ClusterOptions options, ClusterSubjects subjects, ClusterMetrics metrics) {
        this.options = options;
        this.subjects = subjects;
        this.metrics = metrics;
        this.outbox = new ClusterOutbox(options.bufferBytes());
        metrics.bufferGauges(this::bufferedMessages, this::bufferedBytes);
    }

    /** The random number of this run the batches carry (the node announcements too). */
    long instance() {
        return instance;
    }

    /** A new connection: send what waited, then publish straight away. On the connection's event loop. */
    void connected(NatsConnection current) {
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

    /** Sends (or buffers) the open batch, then takes nothing more. */
    void close() {
        synchronized (sendLock) {
            closeBatch();
        }
        closed = true;
    }

    /** On the publisher's thread: never blocks (beyond the lock, held for one publish). */
    void forward(Delivery delivery) {
        String subject = subjects.subjectOf(delivery.message().channel());
        byte[] encoded = ClusterBatch.encodeMessage(delivery.message());
        Context turn = Vertx.currentContext();
        boolean onEventLoop = turn != null && turn.isEventLoopContext();
        Thread self = Thread.currentThread();
        boolean endOfTurnNeeded = false;
        synchronized (sendLock) {
            if (!open.isEmpty() && (openOwner != self || !openSubject.equals(subject)
                                    || openBytes + encoded.length > MAX_BATCH_BYTES)) {
                closeBatch();
            }
            sequence++;
            if (open.isEmpty()) {
                openSubject = subject;
                openFirstSequence = sequence;
                openOwner = self;
                endOfTurnNeeded = onEventLoop;
            }
            open.add(encoded);
            openBytes += encoded.length;
            if (!onEventLoop || open.size() >= MAX_BATCH_MESSAGES) {
                closeBatch();
                endOfTurnNeeded = false;
            }
        }
        if (endOfTurnNeeded) {
            if (options.sendLingerMillis() > 0) {
                // A timer of this event loop: it wakes no other thread, and the loop's own wake-up is one per batch.
                turn.owner().setTimer(options.sendLingerMillis(), ignored -> endOfTurn(self));
            } else {
                // Queued by the event loop for itself: it runs after what this turn read, with no other thread woken.
                turn.runOnContext(ignored -> endOfTurn(self));
            }
        }
    }

    private void endOfTurn(Thread owner) {
        synchronized (sendLock) {
            if (!open.isEmpty() && openOwner == owner) {
                closeBatch();
            }
        }
    }

    /** Sends the open batch, or buffers it while NATS is away. Called under sendLock. */
    private void closeBatch() {
        if (open.isEmpty()) {
            return;
        }
        byte[] body = ClusterBatch.encode(options.nodeId(), instance, openFirstSequence, open);
        int messages = open.size();
        open.clear();
        openBytes = 0;
        openOwner = null;
        if (sending) {
            publish(openSubject, body, messages);
        } else {
            buffer(openSubject, body, messages);
        }
    }

    /** Called under sendLock. */
    private void buffer(String subject, byte[] body, int messages) {
        if (!outbox.offer(subject, body, messages)) {
            drop(messages, "the buffer for NATS's absence is full (" + options.bufferBytes() + " bytes)");
        }
    }

    /** Hands one batch to NATS, or buffers it when the connection was just lost. Called under sendLock. */
    private void publish(String subject, byte[] body, int messages) {
        NatsConnection current = connection;
        NatsWrites.Result result = current == null ? NatsWrites.Result.CLOSED
                : current.publish(subject, body, messages);
        switch (result) {
            case WRITTEN -> sent(messages);
            case QUEUE_FULL -> drop(messages, "NATS takes them more slowly than they come (" + NatsWrites.WAITING_BYTES
                    + " bytes already wait to be written to it)");
            case TOO_LARGE -> dropTooLarge(current, body, messages);
            case CLOSED -> {
                sending = false; // lost under our feet: buffer from here on, until the next connection drains
                buffer(subject, body, messages);
            }
        }
    }

    private void sent(int messages) {
        metrics.sent.add(messages);
        metrics.batchesSent.increment();
    }

    private void dropTooLarge(NatsConnection current, byte[] body, int messages) {
        metrics.refusedTooLarge.add(messages);
        drop(messages, "a batch of " + body.length + " bytes is larger than the NATS server's max_payload ("
                + current.info().maxPayload() + " bytes): raise max_payload in nats-server's configuration");
    }

    private void drop(int messages, String why) {
        metrics.dropped.add(messages);
        dropWarning.warn("Cluster: node {}: messages for the other nodes were dropped ({} in this batch), {}; {}"
                         + " dropped so far", options.nodeId(), messages, why, metrics.dropped());
    }

    /**
     * Sends what waited for NATS, in order, a few batches per turn of the lock (publishers meanwhile append to the
     * buffer, behind it); then publishes go straight to NATS. On the connection's event loop; when NATS takes them more
     * slowly than the buffer holds, it goes on once the connection's writes have drained.
     */
    private void drain() {
        while (!closed) {
            synchronized (sendLock) {
                NatsConnection current = connection;
                if (current == null || !current.isOpen()) {
                    return; // lost again: the next connection drains
                }
                for (int i = 0; i < DRAIN_BATCH && outbox.peek() != null; i++) {
                    ClusterOutbox.Pending next = outbox.peek();
                    NatsWrites.Result result = current.publish(next.subject(), next.body(), next.messages());
                    switch (result) {
                        case WRITTEN -> {
                            outbox.removeFirst();
                            sent(next.messages());
                        }
                        case TOO_LARGE -> {
                            outbox.removeFirst();
                            dropTooLarge(current, next.body(), next.messages());
                        }
                        case QUEUE_FULL -> {
                            current.whenWritable(this::drain);
                            return;
                        }
                        case CLOSED -> {
                            return;
                        }
                    }
                }
                if (outbox.peek() == null) {
                    sending = true;
                    return;
                }
            }
        }
    }

    /** Messages waiting in the buffer for NATS. */
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
