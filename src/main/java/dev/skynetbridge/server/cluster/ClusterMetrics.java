package dev.skynetbridge.server.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters of one gateway's cluster link; read by the health check, benchmarks and (later) meters. */
public final class ClusterMetrics {

    final LongAdder sent = new LongAdder();
    final LongAdder batchesSent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder duplicatesSkipped = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder undecodable = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder refusedTooLarge = new LongAdder();
    final LongAdder slowConsumerReports = new LongAdder();
    private volatile LongSupplier buffered = () -> 0;
    private volatile LongSupplier bufferedBytes = () -> 0;

    void bufferGauges(LongSupplier messages, LongSupplier bytes) {
        this.buffered = messages;
        this.bufferedBytes = bytes;
    }

    /** Messages handed to NATS for the other nodes. */
    public long sent() {
        return sent.sum();
    }

    /** NATS messages published for the other nodes: each a batch of one or more messages ({@link #sent()}). */
    public long batchesSent() {
        return batchesSent.sum();
    }

    /** Messages received from other nodes and delivered to this node's hub. */
    public long received() {
        return received.sum();
    }

    /** Second copies of a message this node subscribed to twice ({@code "*"} and its channel): not delivered again. */
    public long duplicatesSkipped() {
        return duplicatesSkipped.sum();
    }

    /**
     * Messages for the other nodes that were lost: the buffer was full while NATS was away, NATS refused them, or
     * they waited to be written to a connection that was lost.
     */
    public long dropped() {
        return dropped.sum();
    }

    /** Messages from NATS that were not cluster envelopes of this release (another program on the subjects). */
    public long undecodable() {
        return undecodable.sum();
    }

    /** Messages waiting in the buffer for NATS to come back. */
    public long buffered() {
        return buffered.getAsLong();
    }

    public long bufferedBytes() {
        return bufferedBytes.getAsLong();
    }

    /** Times the link came back after losing NATS. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Messages dropped (counted in {@link #dropped()} too) because their batch was larger than NATS's max_payload. */
    public long refusedTooLarge() {
        return refusedTooLarge.sum();
    }

    /** Times NATS said this node reads too slowly ({@code -ERR 'Slow Consumer'}): NATS dropped messages for it. */
    public long slowConsumerReports() {
        return slowConsumerReports.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("sent", sent());
        values.put("batchesSent", batchesSent());
        values.put("received", received());
        values.put("duplicatesSkipped", duplicatesSkipped());
        values.put("dropped", dropped());
        values.put("buffered", buffered());
        values.put("bufferedBytes", bufferedBytes());
        values.put("undecodable", undecodable());
        values.put("reconnects", reconnects());
        values.put("refusedTooLarge", refusedTooLarge());
        values.put("slowConsumerReports", slowConsumerReports());
        return values;
    }
}
