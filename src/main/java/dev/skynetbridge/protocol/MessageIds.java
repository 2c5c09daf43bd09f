package dev.skynetbridge.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique message ids for one server run: the start time and a counter, both base 36. Cheaper
 * than a random UUID per message, and unique across restarts as long as the clock moves on.
 */
public final class MessageIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public MessageIds() {
        this(System.currentTimeMillis());
    }

    public MessageIds(long startMillis) {
        this.prefix = Long.toString(startMillis, 36) + '-';
    }

    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
