package dev.skynetbridge.bench;

import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What arrived: distinct messages per publisher (read by the publishers for their window),
 * duplicates, and latency. Written by the receiver's one thread only.
 */
final class BridgeLoadTally {

    /** Sequence numbers: 16 bits of run id, 8 bits of publisher, 32 bits of message number. */
    private static final int RUN_SHIFT = 40;
    private static final int PUBLISHER_SHIFT = 32;
    /** Publisher index of the readiness probes sent before the run (never counted). */
    static final int PROBE_PUBLISHER = 255;

    final int runId;
    final AtomicLongArray received;
    private final BitSet[] seen;
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong unparsed = new AtomicLong();
    final AtomicLong foreign = new AtomicLong();
    final AtomicLong probes = new AtomicLong();
    private final LatencyHistogram latency = new LatencyHistogram();
    volatile boolean recording;
    private int lastN = -1;

    BridgeLoadTally(int publishers, int runId) {
        this.runId = runId;
        this.received = new AtomicLongArray(publishers);
        this.seen = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
        }
    }

    long seq(int publisher, long n) {
        return ((long) runId << RUN_SHIFT) | ((long) publisher << PUBLISHER_SHIFT) | n;
    }

    /** One delivered message; {@code now} is System.nanoTime() when it arrived. */
    void arrived(BridgeProbe probe, long now) {
        long seq = probe.seq;
        if ((int) (seq >>> RUN_SHIFT) != runId) {
            foreign.incrementAndGet(); // left over from an earlier run
            return;
        }
        int publisher = (int) ((seq >>> PUBLISHER_SHIFT) & 0xff);
        if (publisher == PROBE_PUBLISHER) {
            probes.incrementAndGet();
            return;
        }
        if (publisher >= seen.length) {
            unparsed.incrementAndGet();
            return;
        }
        int n = (int) (seq & 0xffffffffL);
        if (seen[publisher].get(n)) {
            if (duplicates.incrementAndGet() <= 5) {
                System.err.printf(Locale.ROOT, "duplicate: publisher %d message %d, %.1f ms after it was sent;"
                        + " the message before it was %d%n", publisher, n, (now - probe.sentNanos) / 1e6, lastN);
            }
            return;
        }
        lastN = n;
        seen[publisher].set(n);
        // Single writer: a release store is enough for the publisher that reads it.
        received.lazySet(publisher, received.get(publisher) + 1);
        if (recording) {
            synchronized (latency) {
                latency.record(now - probe.sentNanos);
            }
        }
    }

    long totalReceived() {
        long total = 0;
        for (int i = 0; i < received.length(); i++) {
            total += received.get(i);
        }
        return total;
    }

    /** The first few message numbers below {@code sent} that never arrived, for the report. */
    String firstMissing(int publisher, long sent) {
        StringBuilder text = new StringBuilder();
        int n = seen[publisher].nextClearBit(0);
        for (int shown = 0; n < sent && shown < 5; shown++) {
            text.append(text.length() == 0 ? "" : ",").append(n);
            n = seen[publisher].nextClearBit(n + 1);
        }
        return text.toString();
    }

    LatencyHistogram latency() {
        LatencyHistogram copy = new LatencyHistogram();
        synchronized (latency) {
            copy.add(latency);
        }
        return copy;
    }
}
