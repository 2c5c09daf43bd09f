package dev.skynetbridge.bridge.kafka;

/**
 * Counts events (drops, failures) for a WARN line that is written for the first one and then at
 * most once per interval, with the number since the last line.
 */
final class RateLimitedCount {

    private final long intervalNanos;
    private long lastReportNanos;
    private long pending;
    private boolean reportedBefore;

    RateLimitedCount(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Counts one event; returns how many to report now (this one included), or 0 to stay quiet. */
    synchronized long add() {
        pending++;
        return due();
    }

    /** The events not yet reported when the interval has passed, else 0 (call it on good news too). */
    synchronized long due() {
        long now = System.nanoTime();
        if (pending == 0 || (reportedBefore && now - lastReportNanos < intervalNanos)) {
            return 0;
        }
        reportedBefore = true;
        lastReportNanos = now;
        long count = pending;
        pending = 0;
        return count;
    }

    /** Whatever was not reported yet, at once (at a stop). */
    synchronized long drain() {
        long count = pending;
        pending = 0;
        return count;
    }
}
