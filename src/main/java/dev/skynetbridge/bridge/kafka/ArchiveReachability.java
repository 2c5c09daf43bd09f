package dev.skynetbridge.bridge.kafka;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Whether the archive's brokers answer, told to its {@link KafkaBridgeStatus}: a probe asks for the
 * topic's partitions from start-up until they answer; afterwards the archive is DOWN when the
 * oldest unacknowledged record has waited longer than {@code stallMillis} (sends and their
 * acknowledgements report the rest through the status directly).
 */
final class ArchiveReachability {

    private static final long STALL_CHECK_MILLIS = 500;

    private final KafkaBridgeStatus status;
    private final Runnable probe;
    private final LongSupplier oldestUnacknowledgedMillis;
    private final LongSupplier unacknowledged;
    private final long stallMillis;
    private final long retryInitialMillis;
    private final long retryMaxMillis;
    private volatile boolean running;

    ArchiveReachability(KafkaBridgeStatus status, Runnable probe, LongSupplier oldestUnacknowledgedMillis,
            LongSupplier unacknowledged, long stallMillis, long retryInitialMillis, long retryMaxMillis) {
        this.status = status;
        this.probe = probe;
        this.oldestUnacknowledgedMillis = oldestUnacknowledgedMillis;
        this.unacknowledged = unacknowledged;
        this.stallMillis = stallMillis;
        this.retryInitialMillis = retryInitialMillis;
        this.retryMaxMillis = retryMaxMillis;
    }

    /** Runs the probe and the stall check on {@code watcher} (one thread is enough) until {@link #stop}. */
    void start(ScheduledExecutorService watcher) {
        running = true;
        watcher.submit(this::probeUntilReachable);
        watcher.scheduleWithFixedDelay(this::checkStalled, STALL_CHECK_MILLIS, STALL_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        running = false;
    }

    /** Each try waits up to the client's max.block.ms. */
    private void probeUntilReachable() {
        long delay = retryInitialMillis;
        while (running && status.state() != KafkaBridgeStatus.State.UP) {
            try {
                probe.run();
                status.reachable();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                status.unreachable(e);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = Math.min(delay * 2, retryMaxMillis);
        }
    }

    /** Without results from Kafka for a while the state would stay UP; the age of the oldest open record tells. */
    private void checkStalled() {
        long waited = oldestUnacknowledgedMillis.getAsLong();
        if (running && waited > stallMillis) {
            status.unreachable(new TimeoutException("no acknowledgement for " + waited / 1000 + " s; "
                    + unacknowledged.getAsLong() + " messages sent and not acknowledged"));
        }
    }
}
