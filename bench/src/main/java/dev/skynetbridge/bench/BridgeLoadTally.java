package dev.skynetbridge.bench;

import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What arrived: distinct messages per stream (read by the publishers for their window), duplicates,
 * and latency. A stream is one publisher when one receiver reads every publisher (Skynet to a broker),
 * or one receiver when every receiver reads the one publisher (MQTT to several Skynet listeners). Each
 * stream has one writing thread (its receiver's).
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
    /** Probes per stream, when receivers name their stream: the path is ready once each has one. */
    private final AtomicLongArray probesPerStream;
    private final LatencyHistogram latency = new LatencyHistogram();
    volatile boolean recording;

    BridgeLoadTally(int streams, int runId) {
        this.runId = runId;
        this.received = new AtomicLongArray(streams);
        this.probesPerStream = new AtomicLongArray(streams);
        this.seen = new BitSet[streams];
        for (int i = 0; i < streams; i++) {
            seen[i] = new BitSet();
        }
    }

    long seq(int publisher, long n) {
        return ((long) runId << RUN_SHIFT) | ((long) publisher << PUBLISHER_SHIFT) | n;
    }

    /** One delivered message of the publisher its sequence number names; {@code now} is System.nanoTime() on arrival. */
    void arrived(BridgeProbe probe, long now) {
        arrived(probe, now, -1);
    }

    /**
     * One delivered message; {@code stream} is the receiver's own stream, or -1 when the publisher named in the
     * sequence number is the stream.
     */
    void arrived(BridgeProbe probe, long now, int stream) {
        long seq = probe.seq;
        if ((int) (seq >>> RUN_SHIFT) != runId) {
            foreign.incrementAndGet(); // left over from an earlier run
            return;
        }
        int publisher = (int) ((seq >>> PUBLISHER_SHIFT) & 0xff);
        if (publisher == PROBE_PUBLISHER) {
            probes.incrementAndGet();
            if (stream >= 0) {
                probesPerStream.incrementAndGet(stream);
            }
            return;
        }
        int at = stream >= 0 ? stream : publisher;
        if (at >= seen.length || (stream >= 0 && publisher != 0)) {
            unparsed.incrementAndGet();
            return;
        }
        int n = (int) (seq & 0xffffffffL);
        if (seen[at].get(n)) {
            if (duplicates.incrementAndGet() <= 5) {
                System.err.printf(Locale.ROOT, "duplicate: stream %d message %d, %.1f ms after it was sent%n", at, n,
                        (now - probe.sentNanos) / 1e6);
            }
            return;
        }
        seen[at].set(n);
        // Single writer per stream: a release store is enough for the publisher that reads it.
        received.lazySet(at, received.get(at) + 1);
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

    /** The fewest messages any stream has received: what a publisher read by every receiver paces its window on. */
    long minReceived() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < received.length(); i++) {
            least = Math.min(least, received.get(i));
        }
        return least;
    }

    int streams() {
        return seen.length;
    }

    /** Every stream has seen a probe (only for receivers that name their stream). */
    boolean everyStreamProbed() {
        for (int i = 0; i < probesPerStream.length(); i++) {
            if (probesPerStream.get(i) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The first few message numbers below {@code sent} that never arrived, for the report. */
    String firstMissing(int stream, long sent) {
        StringBuilder text = new StringBuilder();
        int n = seen[stream].nextClearBit(0);
        for (int shown = 0; n < sent && shown < 5; shown++) {
            text.append(text.length() == 0 ? "" : ",").append(n);
            n = seen[stream].nextClearBit(n + 1);
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
