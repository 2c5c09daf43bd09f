package dev.skynetbridge.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections per remote address and in all, counted from the upgrade request (so clients still
 * waiting for their token check count too) until the connection closes or is refused.
 */
final class ConnectionCounter {

    /** A counted connection; releasing it twice counts once. */
    final class Slot {
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String address) {
            this.address = address;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                total.decrementAndGet();
                perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
        }
    }

    private final int maxPerAddress;
    private final int maxTotal;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionCounter(ConnectionLimits limits) {
        this.maxPerAddress = limits.connectionsPerAddress();
        this.maxTotal = limits.connections();
    }

    /** Either a slot or why there is none. */
    record Admission(Slot slot, Refusal refusal) {
    }

    /** A slot, or the refusal: {@link Refusal#CONNECTIONS_TOTAL} (503) or {@link Refusal#CONNECTIONS_PER_ADDRESS} (429). */
    Admission tryAcquire(String address) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return new Admission(null, Refusal.CONNECTIONS_TOTAL);
        }
        boolean[] full = {false};
        perAddress.compute(address, (key, count) -> {
            AtomicInteger counter = count == null ? new AtomicInteger() : count;
            if (maxPerAddress > 0 && counter.get() >= maxPerAddress) {
                full[0] = true;
            } else {
                counter.incrementAndGet();
            }
            return counter.get() == 0 ? null : counter;
        });
        if (full[0]) {
            total.decrementAndGet();
            return new Admission(null, Refusal.CONNECTIONS_PER_ADDRESS);
        }
        return new Admission(new Slot(address), null);
    }

    int total() {
        return total.get();
    }
}
