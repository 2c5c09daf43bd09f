package dev.skynetbridge.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The v1 {@code log} command's message log: a bounded ring of the newest messages, read newest
 * first. The reference keeps every message forever; here the oldest is overwritten when full.
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
        long total = written.get();
        long available = Math.min(total, ring.length());
        List<String> events = new ArrayList<>();
        for (long i = Math.max(0, start); i < Math.min(end, available); i++) {
            Delivery delivery = ring.get((int) ((total - 1 - i) % ring.length()));
            if (delivery != null) {
                events.add(delivery.v1Event());
            }
        }
        return events;
    }

    /** Messages that were overwritten because the ring was full. */
    public long evicted() {
        return Math.max(0, written.get() - ring.length());
    }
}
