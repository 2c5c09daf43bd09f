package dev.skynetbridge.mqtt;

import dev.skynetbridge.support.RateLimitedWarning;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded outbox and in-flight window of one {@link MqttLink}, apart from the MQTT client so that it can be
 * tested without a broker. Messages wait here oldest first; while {@code canSend} says so and fewer than
 * {@code maxInFlight} are unconfirmed, they are handed to the {@link Sender} in that order. When the connection
 * drops, {@link #takeBackInFlight()} puts the unconfirmed ones back at the head, still in order, to be sent again
 * (at least once).
 *
 * <p>Bound and policy: at most {@code capacity} messages wait; a new message into a full outbox drops the oldest
 * waiting one (newer state is worth more than older). Every drop is counted and logged (a rate-limited WARN).
 *
 * <p>Counters: {@code received} messages offered, {@code published} confirmed by the broker (or written, QoS 0),
 * {@code failed} refused by the broker, {@code buffered} waiting or unconfirmed now, {@code dropped} lost to the
 * bound or to {@link #discardAll()}. Whenever no call is running: received = published + failed + buffered +
 * dropped.
 *
 * @param <M> the message type the sender takes
 */
final class MqttOutbox<M> {

    private static final Logger LOG = LoggerFactory.getLogger(MqttOutbox.class);

    /** Hands a message to the MQTT client; never blocks. */
    interface Sender<M> {
        /**
         * Hands one message over. The sender later calls {@link Delivery#confirmed()} or {@link Delivery#refused}
         * exactly once, from any thread (possibly before this returns), or neither if the connection drops
         * first: then {@link #takeBackInFlight()} takes the message back.
         */
        void send(M message, Delivery delivery);

        /** Where a message goes, for log lines (its topic). */
        String describe(M message);

        /** The message will never be sent: dropped to the bound or discarded at stop (already counted). */
        default void dropped(M message) {
        }
    }

    /** The outcome of one message handed to the sender. */
    interface Delivery {
        void confirmed();

        /** The broker (or the client, for a packet the broker cannot take) refused it: it is not sent again. */
        void refused(String reason);
    }

    private final String name;
    private final int capacity;
    private final int maxInFlight;
    private final Sender<M> sender;
    private final BooleanSupplier canSend;
    private final LongAdder received = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Messages taken back after a connection loss and sent again (at least once). */
    private final LongAdder resent = new LongAdder();
    private final RateLimitedWarning dropWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    /** When the broker last confirmed a message (epoch ms), 0 before the first. */
    private volatile long lastPublishedMillis;

    /** Guards everything below; also what {@link #awaitEmpty} waits on. */
    private final Object lock = new Object();
    /** Messages not yet handed over, oldest first; at most {@code capacity}. */
    private final ArrayDeque<M> waiting = new ArrayDeque<>();
    /** Messages handed over, oldest first, until settled (settled ones leave from the head). */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private int unconfirmed;
    /** Set while {@link #drain()} runs, so a completion that arrives inside it does not start a second one. */
    private boolean draining;

    /**
     * @param name        for log lines (the broker URL)
     * @param capacity    messages that may wait
     * @param maxInFlight messages handed over and not yet confirmed, at most
     * @param canSend     whether messages may be handed over now (the link is connected); read under the lock
     */
    MqttOutbox(String name, int capacity, int maxInFlight, Sender<M> sender, BooleanSupplier canSend) {
        if (capacity < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("capacity and maxInFlight must be at least 1, got " + capacity + " and "
                    + maxInFlight);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.capacity = capacity;
        this.maxInFlight = maxInFlight;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.canSend = Objects.requireNonNull(canSend, "canSend");
    }

    /** Queues a message and hands over what the window allows; never blocks. A full outbox drops its oldest. */
    void offer(M message) {
        Objects.requireNonNull(message, "message");
        synchronized (lock) {
            received.increment();
            if (waiting.size() >= capacity) {
                sender.dropped(waiting.pollFirst());
                dropped.increment();
                dropWarning.warn("MQTT {}: the outbox is full ({} messages waiting for the broker{}); the oldest was"
                                 + " dropped, {} dropped so far. Raise bufferSize or fix the broker connection.",
                        name, capacity, canSend.getAsBoolean() ? "" : ", which is unreachable", dropped.sum());
            }
            waiting.addLast(message);
            drain();
        }
    }

    /** Hands waiting messages over while {@code canSend} holds and the window has room (after a reconnect). */
    void sendWaiting() {
        synchronized (lock) {
            drain();
        }
    }

    /** Runs under the lock, so the sender receives messages in outbox order whichever thread calls. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (unconfirmed < maxInFlight && !waiting.isEmpty() && canSend.getAsBoolean()) {
                InFlight entry = new InFlight(waiting.pollFirst());
                inFlight.addLast(entry);
                unconfirmed++;
                // The sender only queues it for the client's event loop; a completion may still arrive right here,
                // and drain() does not recurse into itself.
                sender.send(entry.message, entry);
            }
        } finally {
            draining = false;
        }
    }

    /**
     * After a connection loss: every unconfirmed message goes back to the head of the outbox, in order; their late
     * completions are ignored. What does not fit is dropped (those are the oldest), counted and logged once.
     *
     * @return the messages put back
     */
    int takeBackInFlight() {
        int putBack = 0;
        int lost = 0;
        synchronized (lock) {
            for (Iterator<InFlight> it = inFlight.descendingIterator(); it.hasNext(); ) {
                InFlight entry = it.next();
                if (entry.settled) {
                    continue;
                }
                entry.settled = true;
                if (waiting.size() >= capacity) {
                    lost++;
                    sender.dropped(entry.message);
                } else {
                    waiting.addFirst(entry.message);
                    putBack++;
                }
            }
            inFlight.clear();
            unconfirmed = 0;
            dropped.add(lost);
            resent.add(putBack);
            lock.notifyAll();
        }
        if (lost > 0) {
            LOG.warn("MQTT {}: the outbox is full; {} messages sent before the connection dropped did not fit back"
                     + " and were dropped, {} dropped so far", name, lost, dropped.sum());
        }
        return putBack;
    }

    /**
     * Waits until nothing is waiting or unconfirmed, {@code canSend} turns false, or the timeout passes.
     *
     * @return true if the outbox is empty
     */
    boolean awaitEmpty(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            try {
                while (!isEmpty() && canSend.getAsBoolean()) {
                    long leftNanos = deadline - System.nanoTime();
                    if (leftNanos <= 0) {
                        break;
                    }
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return isEmpty();
        }
    }

    private boolean isEmpty() {
        return waiting.isEmpty() && unconfirmed == 0;
    }

    /**
     * Drops everything waiting or unconfirmed (the link stops), counted and logged.
     *
     * @return the messages dropped
     */
    int discardAll() {
        int left;
        synchronized (lock) {
            left = waiting.size() + unconfirmed;
            inFlight.forEach(entry -> {
                if (!entry.settled) {
                    sender.dropped(entry.message);
                }
                entry.settled = true;
            });
            waiting.forEach(sender::dropped);
            inFlight.clear();
            waiting.clear();
            unconfirmed = 0;
            dropped.add(left);
            lock.notifyAll();
        }
        if (left > 0) {
            LOG.warn("MQTT {}: the bridge stopped with {} messages not delivered to the broker; they are dropped",
                    name, left);
        }
        return left;
    }

    /** A message handed over and not yet settled; its own completion handler. */
    private final class InFlight implements Delivery {
        final M message;
        /** Confirmed, refused, or taken back after a connection loss; guarded by the lock. */
        boolean settled;

        InFlight(M message) {
            this.message = message;
        }

        @Override
        public void confirmed() {
            settle(null);
        }

        @Override
        public void refused(String reason) {
            settle(reason == null ? "no reason given" : reason);
        }

        private void settle(String refusal) {
            synchronized (lock) {
                if (settled) {
                    return; // taken back after a connection loss: it is sent again (at least once)
                }
                settled = true;
                unconfirmed--;
                if (refusal == null) {
                    published.increment();
                    lastPublishedMillis = System.currentTimeMillis();
                } else {
                    logRefusal(message, refusal);
                }
                while (!inFlight.isEmpty() && inFlight.peekFirst().settled) {
                    inFlight.pollFirst();
                }
                drain();
                lock.notifyAll(); // awaitEmpty() waits for the last confirmations
            }
        }
    }

    private void logRefusal(M message, String reason) {
        failed.increment();
        long total = failed.sum();
        String line = "MQTT {}: the broker refused a publish to {} ({}); it is not sent again, {} refused so far";
        if (total == 1 || total % 1000 == 0) {
            LOG.warn(line, name, sender.describe(message), reason, total);
        } else {
            LOG.debug(line, name, sender.describe(message), reason, total);
        }
    }

    long receivedCount() {
        return received.sum();
    }

    long publishedCount() {
        return published.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    long droppedCount() {
        return dropped.sum();
    }

    /** Messages put back after a connection loss, to be sent again. */
    long resentCount() {
        return resent.sum();
    }

    /** When the broker last confirmed a message (epoch ms); 0 before the first. */
    long lastPublishedMillis() {
        return lastPublishedMillis;
    }

    /** Messages waiting plus those handed over and not yet confirmed. */
    int bufferedCount() {
        synchronized (lock) {
            return waiting.size() + unconfirmed;
        }
    }

    /** Messages not yet handed over. */
    int waitingCount() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    int capacity() {
        return capacity;
    }
}
