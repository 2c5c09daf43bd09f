package dev.skynetbridge.bridge.kafka;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The archive's own bounded buffer and send window, without Camel or a Kafka client: records are
 * {@link #offer offered} by the route (which never waits), one sender thread hands them in order to
 * a {@link Transport}, at most {@code sendWindow} of them unacknowledged at once.
 *
 * <ul>
 *   <li>A full buffer drops by {@link FullPolicy} (the oldest waiting record, or the new one); drops
 *       are counted and reported through {@link Events#dropped} (the caller rate-limits the WARN).
 *   <li>A record the transport refuses before taking it (no metadata while Kafka is down) is tried
 *       again, with backoff, before any later record, which keeps the order.
 *   <li>A record the transport took and later gave up on (its delivery timeout ran out, or it was
 *       rejected) is counted as failed and not re-sent: re-sending it would put it behind later ones.
 * </ul>
 *
 * <p>Counters: {@code received = sent + failed + queued + dropped} at every moment, where queued is
 * the buffer plus the records sent and not yet acknowledged.
 */
public final class ArchiveOutbox {

    /** What a full buffer drops. */
    public enum FullPolicy { DROP_OLDEST, DROP_NEWEST }

    /** The transport's answer to one {@link Transport#send}. */
    public record Refusal(Throwable cause, boolean retriable) {
    }

    /** Where records go (the Kafka client). */
    public interface Transport {
        /**
         * Hands one record over. Returns null when it was taken: {@code done} is then called exactly
         * once, on any thread, with null for an acknowledgement or the failure. Returns a refusal when
         * it was not taken ({@code done} is not called).
         */
        Refusal send(ArchiveRecord record, Completion done);
    }

    /** The outcome of one record the transport took. */
    public interface Completion {
        void completed(Throwable failure);
    }

    /** What the outbox tells its owner (state, logs); called on the route's, the sender's or the transport's thread. */
    public interface Events {
        void acknowledged();

        /** A retriable refusal: the record waits and is tried again after {@code retryInMillis}. */
        void refused(ArchiveRecord record, Throwable cause, long retryInMillis);

        /** The transport gave up on a record, or refused it for good; counted as failed. */
        void failed(ArchiveRecord record, Throwable cause);

        /** The buffer was full and {@code record} was dropped; {@code total} drops so far. */
        void dropped(ArchiveRecord record, long total);
    }

    private final int bufferSize;
    private final FullPolicy fullPolicy;
    private final int sendWindow;
    private final long retryInitialMillis;
    private final long retryMaxMillis;
    private final Transport transport;
    private final Events events;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition canSend = lock.newCondition();
    private final ArrayDeque<ArchiveRecord> buffer = new ArrayDeque<>();
    /** Sequence number -> System.nanoTime() at send, of every record sent and not yet completed. */
    private final TreeMap<Long, Long> unacknowledged = new TreeMap<>(); // guarded by lock
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Taken from the buffer by the sender and not yet handed over (waiting for a retry); guarded by lock. */
    private int inHand;
    private int inFlight; // guarded by lock
    private long nextSequence; // only the sender thread
    private volatile boolean running;
    private Thread sender;

    public ArchiveOutbox(int bufferSize, FullPolicy fullPolicy, int sendWindow, long retryInitialMillis,
            long retryMaxMillis, Transport transport, Events events) {
        if (bufferSize < 1 || sendWindow < 1) {
            throw new IllegalArgumentException("bufferSize and sendWindow must be at least 1, got " + bufferSize
                    + " and " + sendWindow);
        }
        this.bufferSize = bufferSize;
        this.fullPolicy = fullPolicy;
        this.sendWindow = sendWindow;
        this.retryInitialMillis = Math.max(1, retryInitialMillis);
        this.retryMaxMillis = Math.max(this.retryInitialMillis, retryMaxMillis);
        this.transport = transport;
        this.events = events;
    }

    /** Starts the sender thread. */
    public void start(ThreadFactory threads) {
        running = true;
        sender = threads.newThread(this::sendLoop);
        sender.start();
    }

    /**
     * Stops the sender. Records still in the buffer are counted as dropped and returned (the caller logs
     * them); records already sent are the transport's to complete (close it next).
     */
    public long stop() {
        running = false;
        Thread thread = sender;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            long left = buffer.size() + inHand;
            buffer.clear();
            inHand = 0;
            dropped.add(left);
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Records sent and never completed by a closed transport: counted as failed. */
    public long failUnacknowledged() {
        lock.lock();
        try {
            int left = unacknowledged.size();
            unacknowledged.clear();
            failed.add(left);
            inFlight = 0;
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a record; never waits. False when the buffer was full and this record was the one dropped. */
    public boolean offer(ArchiveRecord record) {
        ArchiveRecord droppedRecord;
        long droppedSoFar;
        lock.lock();
        try {
            received.increment();
            if (buffer.size() < bufferSize) {
                buffer.addLast(record);
                canSend.signal();
                return true;
            }
            if (fullPolicy == FullPolicy.DROP_NEWEST) {
                droppedRecord = record;
            } else {
                droppedRecord = buffer.pollFirst();
                buffer.addLast(record);
            }
            dropped.increment();
            droppedSoFar = dropped.sum();
        } finally {
            lock.unlock();
        }
        events.dropped(droppedRecord, droppedSoFar);
        return droppedRecord != record;
    }

    private void sendLoop() {
        while (running) {
            ArchiveRecord record;
            lock.lock();
            try {
                while (running && (buffer.isEmpty() || inFlight >= sendWindow)) {
                    canSend.await();
                }
                if (!running) {
                    return;
                }
                record = buffer.pollFirst();
                inFlight++;
                inHand = 1;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            sendUntilTaken(record);
        }
    }

    /** Hands one record over, retrying a refusal with backoff before any later record. */
    private void sendUntilTaken(ArchiveRecord record) {
        long delay = retryInitialMillis;
        while (true) {
            long sequence = nextSequence++;
            lock.lock();
            try {
                inHand = 0; // from here it counts as sent and not yet acknowledged
                unacknowledged.put(sequence, System.nanoTime());
            } finally {
                lock.unlock();
            }
            Refusal refusal = transport.send(record, failure -> complete(sequence, record, failure));
            if (refusal == null) {
                return;
            }
            lock.lock();
            try {
                unacknowledged.remove(sequence);
                if (!refusal.retriable()) {
                    inFlight--;
                    failed.increment();
                    canSend.signal();
                } else {
                    inHand = 1;
                }
            } finally {
                lock.unlock();
            }
            if (!refusal.retriable()) {
                events.failed(record, refusal.cause());
                return;
            }
            events.refused(record, refusal.cause(), delay);
            if (!pause(delay)) {
                lock.lock();
                try {
                    inFlight--; // still in hand: stop() counts it as dropped
                } finally {
                    lock.unlock();
                }
                return;
            }
            delay = Math.min(delay * 2, retryMaxMillis);
        }
    }

    private void complete(long sequence, ArchiveRecord record, Throwable failure) {
        lock.lock();
        try {
            if (unacknowledged.remove(sequence) == null) {
                return; // already counted by failUnacknowledged
            }
            inFlight--;
            if (failure == null) {
                sent.increment();
            } else {
                failed.increment();
            }
            canSend.signal();
        } finally {
            lock.unlock();
        }
        if (failure == null) {
            events.acknowledged();
        } else {
            events.failed(record, failure);
        }
    }

    private boolean pause(long millis) {
        if (!running) {
            return false;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** How long the oldest record sent and not yet acknowledged has waited, in ms; 0 when none waits. */
    public long oldestUnacknowledgedMillis() {
        lock.lock();
        try {
            Map.Entry<Long, Long> oldest = unacknowledged.firstEntry();
            return oldest == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.getValue());
        } finally {
            lock.unlock();
        }
    }

    /** Records offered, in all. */
    public long receivedCount() {
        return received.sum();
    }

    /** Records the transport acknowledged. */
    public long sentCount() {
        return sent.sum();
    }

    /** Records the transport gave up on or refused for good. */
    public long failedCount() {
        return failed.sum();
    }

    /** Records dropped because the buffer was full, or left in it when the outbox stopped. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** Records in the buffer (including one waiting for a retry) plus those sent and not yet acknowledged. */
    public long queuedCount() {
        lock.lock();
        try {
            return buffer.size() + inHand + unacknowledged.size();
        } finally {
            lock.unlock();
        }
    }

    /** Records sent and not yet acknowledged. */
    public long unacknowledgedCount() {
        lock.lock();
        try {
            return unacknowledged.size();
        } finally {
            lock.unlock();
        }
    }

    /** Records waiting in the buffer to be sent. */
    public long bufferedCount() {
        lock.lock();
        try {
            return buffer.size() + inHand;
        } finally {
            lock.unlock();
        }
    }
}
