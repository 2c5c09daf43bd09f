package dev.skynetbridge.bench;

/**
 * A small log-linear histogram of non-negative longs (latencies in nanoseconds): exact below
 * 128, then 64 sub-buckets per power of two, so any recorded value is reported within 1/64
 * (about 1.6 %) of itself. Fixed size (3,712 counters), no allocation per record. Not
 * thread-safe: each receiving event loop keeps its own and they are merged at the end.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 128;
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    /** Largest shift: a value below 2^63 has its top bit at 62, so shift = 62 - SUB_BITS. */
    private static final int BUCKETS = LINEAR + (62 - SUB_BITS) * SUB + SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;
    private double sum;

    public void record(long value) {
        long v = Math.max(0, value);
        counts[indexOf(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
        if (v < min) {
            min = v;
        }
    }

    static int indexOf(long value) {
        if (value < LINEAR) {
            return (int) value;
        }
        int shift = (63 - Long.numberOfLeadingZeros(value)) - SUB_BITS;
        return LINEAR + (shift - 1) * SUB + (int) ((value >>> shift) - SUB);
    }

    /** The largest value that falls into the bucket (what HdrHistogram calls "highest equivalent"). */
    static long highestInBucket(int index) {
        if (index < LINEAR) {
            return index;
        }
        int k = index - LINEAR;
        int shift = k / SUB + 1;
        long mantissa = SUB + (k % SUB);
        return ((mantissa + 1) << shift) - 1;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    public long count() {
        return total;
    }

    public long max() {
        return total == 0 ? 0 : max;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    public double mean() {
        return total == 0 ? 0 : sum / total;
    }

    /** The value at or below which {@code percentile} % of the records lie (0 when empty). */
    public long valueAtPercentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestInBucket(i), max);
            }
        }
        return max;
    }
}
