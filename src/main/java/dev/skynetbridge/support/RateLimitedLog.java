package dev.skynetbridge.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A WARN that is written at most once per interval: events that repeat (a client flooding, a
 * scan with bad tokens) are counted elsewhere, and the log says how many were not written.
 */
public final class RateLimitedLog {

    private final Logger logger;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger logger, long interval, TimeUnit unit) {
        this.logger = logger;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Logs at WARN unless one was logged less than the interval ago; then only counts it. */
    public void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped > 0) {
            logger.warn(format + " (" + skipped + " similar warnings not logged in the last "
                    + TimeUnit.NANOSECONDS.toSeconds(intervalNanos) + " s)", arguments);
        } else {
            logger.warn(format, arguments);
        }
    }
}
