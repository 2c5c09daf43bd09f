package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The console's view of the hub's traffic, built so that watching never slows delivery: on the publisher's thread
 * it only bumps a per-channel counter and, while someone watches, writes a reference into a fixed ring (no lock,
 * no copy, no JSON). At most {@code perSecond} messages a second are sampled into the ring; the rest are counted
 * as skipped. Readers keep their own position; what the ring overwrote before a reader came is counted as missed.
 * Per-channel counters are kept for at most {@code maxChannels} channels; messages on more are counted apart.
 */
public final class TrafficRecorder implements SkynetHub.Tap {

    /**
     * One sampled message; {@code sender} is null when it came from outside any participant of this gateway (the
     * console, or another cluster node: then {@code delivery().entryNode()} names it).
     */
    public record Entry(long sequence, Delivery delivery, long senderId, String sender, int recipients) {
    }

    /**
     * Entries after a reader's position, oldest first.
     *
     * @param next the position to read from next time
     * @param missed entries overwritten before this reader read them
     */
    public record Batch(List<Entry> entries, long next, long missed) {
    }

    private final AtomicReferenceArray<Entry> ring;
    private final int mask;
    private final AtomicLong written = new AtomicLong();
    private final int perSecond;
    private final LongSupplier nanoClock;
    private final AtomicLong windowSecond = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger inSecond = new AtomicInteger();
    private final AtomicLong windowTenth = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger inTenth = new AtomicInteger();
    /** Samples per tenth of a second at most, so a second's sample spreads over the second, not its first burst. */
    private final int perTenth;
    private final AtomicInteger viewers = new AtomicInteger();
    private final LongAdder routed = new LongAdder();
    private final LongAdder fromCluster = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final int maxChannels;
    private final ConcurrentHashMap<Channel, LongAdder> perChannel = new ConcurrentHashMap<>();
    private final LongAdder untrackedChannelMessages = new LongAdder();

    /**
     * @param capacity entries the ring holds (rounded up to a power of two)
     * @param perSecond messages sampled into the ring per second at most
     */
    public TrafficRecorder(int capacity, int perSecond, int maxChannels) {
        this(capacity, perSecond, maxChannels, System::nanoTime);
    }

    TrafficRecorder(int capacity, int perSecond, int maxChannels, LongSupplier nanoClock) {
        if (capacity < 1 || perSecond < 1 || maxChannels < 1) {
            throw new IllegalArgumentException("capacity, perSecond and maxChannels must be positive");
        }
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.ring = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.perSecond = perSecond;
        this.perTenth = (perSecond + 9) / 10;
        this.maxChannels = maxChannels;
        this.nanoClock = nanoClock;
    }

    @Override
    public void routed(Delivery delivery, SkynetHub.Member sender, int recipients) {
        routed.increment();
        record(delivery, sender, recipients);
    }

    /** Counted apart from {@link #routed()} (what entered here), sampled into the same ring, on the same channels. */
    @Override
    public void fromCluster(Delivery delivery, int recipients) {
        fromCluster.increment();
        record(delivery, null, recipients);
    }

    private void record(Delivery delivery, SkynetHub.Member sender, int recipients) {
        countChannel(delivery.message().channel());
        if (viewers.get() == 0) {
            return;
        }
        if (!admit()) {
            skipped.increment();
            return;
        }
        long sequence = written.getAndIncrement();
        ring.set((int) (sequence & mask), new Entry(sequence, delivery,
                sender == null ? 0 : sender.id(), sender == null ? null : sender.participant().address(), recipients));
    }

    private void countChannel(Channel channel) {
        LongAdder counter = perChannel.get(channel);
        if (counter == null) {
            if (perChannel.size() >= maxChannels) {
                untrackedChannelMessages.increment();
                return;
            }
            counter = perChannel.computeIfAbsent(channel, key -> new LongAdder());
        }
        counter.increment();
    }

    /**
     * Fixed windows, cheap: at most perSecond a second and a tenth of that per tenth of a second, so a steady flow is
     * sampled all through the second.
     */
    private boolean admit() {
        long nanos = nanoClock.getAsLong();
        return withinWindow(windowTenth, inTenth, Math.floorDiv(nanos, 100_000_000L), perTenth)
               && withinWindow(windowSecond, inSecond, Math.floorDiv(nanos, 1_000_000_000L), perSecond);
    }

    private static boolean withinWindow(AtomicLong window, AtomicInteger used, long now, int limit) {
        long current = window.get();
        if (now != current && window.compareAndSet(current, now)) {
            used.set(0);
        }
        return used.incrementAndGet() <= limit;
    }

    /** A viewer starts watching: entries are recorded while at least one watches. */
    public void watch() {
        viewers.incrementAndGet();
    }

    public void unwatch() {
        viewers.decrementAndGet();
    }

    public int viewers() {
        return viewers.get();
    }

    /** The position a new reader starts from: only what comes next. */
    public long position() {
        return written.get();
    }

    /** Entries recorded at or after {@code from}, at most {@code max} of the newest, oldest first. */
    public Batch read(long from, int max) {
        long head = written.get();
        long start = Math.max(from, head - ring.length());
        long missed = start - from;
        if (head - start > max) {
            missed += head - max - start;
            start = head - max;
        }
        List<Entry> entries = new ArrayList<>((int) Math.max(0, head - start));
        for (long sequence = start; sequence < head; sequence++) {
            Entry entry = ring.get((int) (sequence & mask));
            // A writer may have taken the sequence and not stored it yet, or a newer one replaced it.
            if (entry != null && entry.sequence() == sequence) {
                entries.add(entry);
            } else if (entry != null && entry.sequence() > sequence) {
                missed++;
            }
        }
        return new Batch(entries, head, missed);
    }

    public int capacity() {
        return ring.length();
    }

    public int perSecond() {
        return perSecond;
    }

    /** Messages the hub routed since start that entered on this gateway. */
    public long routed() {
        return routed.sum();
    }

    /** Messages that entered on other cluster nodes and were delivered here, since start. */
    public long fromCluster() {
        return fromCluster.sum();
    }

    /** Messages not sampled into the ring while someone watched (over perSecond); their delivery is unaffected. */
    public long skipped() {
        return skipped.sum();
    }

    /** Messages per channel since start, for at most maxChannels channels. */
    public Map<Channel, Long> channelCounts() {
        Map<Channel, Long> counts = new HashMap<>(perChannel.size() * 2);
        perChannel.forEach((channel, counter) -> counts.put(channel, counter.sum()));
        return counts;
    }

    /** Messages on channels beyond maxChannels, which have no counter of their own. */
    public long untrackedChannelMessages() {
        return untrackedChannelMessages.sum();
    }

    public int maxChannels() {
        return maxChannels;
    }
}
