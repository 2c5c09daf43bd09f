package dev.skynetbridge.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A WARN that repeats at most once per interval however often its cause happens: the first
 * occurrence is logged at once, later ones are summed and reported with the next line that is
 * due ("... (37 more since the last warning)"). Thread-safe and allocation-free when suppressed,
 * so a drop path can call it per dropped message.
 */
public final class RateLimitedWarning {

    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextDueNanos;
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedWarning(Logger logger, long interval, TimeUnit unit) {
        this(logger, unit.toNanos(interval), System::nanoTime);
    }

    RateLimitedWarning(Logger logger, long intervalNanos, LongSupplier clock) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive, was " + intervalNanos + " ns");
        }
        this.logger = logger;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.nextDueNanos = new AtomicLong(clock.getAsLong());
    }

    /**
     * Logs {@code format} with {@code arguments} (SLF4J style) if a line is due, else counts it.
     *
     * @return whether a line was written
     */
    public boolean warn(String format, Object... arguments) {
        long now = clock.getAsLong();
        long due = nextDueNanos.get();
        if (now - due < 0 || !nextDueNanos.compareAndSet(due, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped == 0) {
            logger.warn(format, arguments);
        } else {
            logger.warn(format + " ({} more since the last warning)", append(arguments, skipped));
        }
        return true;
    }

    private static Object[] append(Object[] arguments, long skipped) {
        Object[] all = new Object[arguments.length + 1];
        System.arraycopy(arguments, 0, all, 0, arguments.length);
        all[arguments.length] = skipped;
        return all;
    }
}
