package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * The v1 {@code log} command's message log: a bounded ring of the newest messages, read newest
 * first. The reference keeps every message forever; here the oldest is overwritten when full. In a cluster it holds
 * the messages that entered on this gateway (the hub does not log what arrives from the others), so it stays as
 * bounded and as cheap as on one gateway.
 */
public final class V1Log {

    private final AtomicReferenceArray<Delivery> ring;
    private final AtomicLong written = new AtomicLong();

    public V1Log(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("v1 log size must be >= 0, got " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(Math.max(capacity, 1));
    }

    public int capacity() {
        return ring.length();
    }

    public void append(Delivery delivery) {
        long index = written.getAndIncrement();
        ring.set((int) (index % ring.length()), delivery);
    }

    /** Entries {@code [start, end)} counted from the newest, as encoded v1 events. */
    public List<String> slice(int start, int end) {
        return slice(start, end, channel -> true);
    }

    /**
     * Entries {@code [start, end)} counted from the newest among those on channels {@code visible}
     * accepts (a client sees in the log only what it may read), as encoded v1 events.
     */
    public List<String> slice(int start, int end, Predicate<Channel> visible) {
        long total = written.get();
        long available = Math.min(total, ring.length());
        List<String> events = new ArrayList<>();
        long seen = 0;
        for (long i = 0; i < available && seen < end; i++) {
            Delivery delivery = ring.get((int) ((total - 1 - i) % ring.length()));
            if (delivery == null || !visible.test(delivery.message().channel())) {
                continue;
            }
            if (seen >= start) {
                events.add(delivery.v1Event());
            }
            seen++;
        }
        return events;
    }

    /** Messages that were overwritten because the ring was full. */
    public long evicted() {
        return Math.max(0, written.get() - ring.length());
    }
}
