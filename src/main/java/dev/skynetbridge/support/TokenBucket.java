package dev.skynetbridge.support;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens flow in, at most {@code burst} are kept. Used by
 * one thread at a time (a connection's event loop), so it needs no locking.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;

    public TokenBucket(long ratePerSecond, long burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    public TokenBucket(long ratePerSecond, long burst, LongSupplier nanoClock) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs rate >= 1 and burst >= 1, got rate="
                    + ratePerSecond + " burst=" + burst);
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastRefill = nanoClock.getAsLong();
    }

    /** Takes {@code amount} tokens if that many are there; otherwise takes none and returns false. */
    public boolean tryTake(long amount) {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastRefill) * ratePerNano);
        lastRefill = now;
        if (tokens >= amount) {
            tokens -= amount;
            return true;
        }
        return false;
    }
}
