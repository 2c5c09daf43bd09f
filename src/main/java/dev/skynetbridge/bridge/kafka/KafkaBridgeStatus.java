package dev.skynetbridge.bridge.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one Kafka bridge can reach its brokers, as a Camel health check (id
 * {@code skynet-kafka-<name>}, group {@code skynet}) and as one log line per change:
 * "unreachable" when a send or probe fails or sent records wait too long for their
 * acknowledgement, "reachable" when one succeeds again.
 */
public final class KafkaBridgeStatus extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBridgeStatus.class);

    /** CONNECTING until the first probe or send answers. */
    public enum State { CONNECTING, UP, DOWN }

    private final String description;
    private final String outageAdvice;
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong droppedReported = new java.util.concurrent.atomic.AtomicLong();
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile LongSupplier waiting = () -> 0;
    private volatile LongSupplier droppedUpstream = () -> 0;
    private volatile LongSupplier unacknowledged = () -> 0;
    private final Map<String, LongSupplier> counters = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * @param name short id, e.g. the route id
     * @param description what the bridge does, for log lines ("archive to topic skynet (host:9092)")
     * @param outageAdvice what happens meanwhile and what to check, appended to the "unreachable" line
     */
    public KafkaBridgeStatus(String name, String description, String outageAdvice) {
        super("skynet", "skynet-kafka-" + name);
        this.description = description;
        this.outageAdvice = outageAdvice;
    }

    /** Where the waiting and dropped counts of the bridge's buffer come from (the Skynet consumer's queue). */
    void bufferCounters(LongSupplier waitingCount, LongSupplier droppedCount) {
        this.waiting = waitingCount;
        this.droppedUpstream = droppedCount;
    }

    /** Where the count of records sent and not yet acknowledged by Kafka comes from (the archive's window). */
    void unacknowledgedCounter(LongSupplier unacknowledgedCount) {
        this.unacknowledged = unacknowledgedCount;
    }

    /** A count of the bridge's own shown among the health check's details (the replay's records read, skipped). */
    void counter(String name, LongSupplier count) {
        counters.put(name, count);
    }

    /** Kafka acknowledged a record: called for every record, so the state is only written when it changes. */
    void acknowledged() {
        delivered();
        if (state.get() != State.UP) {
            reachable();
        }
    }

    void reachable() {
        State previous = state.getAndSet(State.UP);
        if (previous != State.UP) {
            Instant now = Instant.now();
            long waitingNow = waitingCount();
            if (previous == State.DOWN) {
                LOG.info("Kafka {}: brokers reachable again after {} s{}", description,
                        Duration.between(since, now).toSeconds(),
                        waitingNow > 0 ? "; " + waitingNow + " waiting messages follow in order" : "");
            } else {
                LOG.info("Kafka {}: connected", description);
            }
            since = now;
            lastError = null;
        }
    }

    void unreachable(Throwable error) {
        failedAttempts.increment();
        lastError = describe(error);
        State previous = state.getAndSet(State.DOWN);
        if (previous != State.DOWN) {
            since = Instant.now();
            LOG.warn("Kafka {}: brokers unreachable ({}). {}", description, lastError, outageAdvice);
        }
    }

    void delivered() {
        delivered.increment();
        reportDrops();
    }

    /** One line per batch of drops (the buffer logs only its first drop and every 1000th). */
    private void reportDrops() {
        long total = droppedCount();
        long before = droppedReported.get();
        if (total > before && droppedReported.compareAndSet(before, total)) {
            LOG.warn("Kafka {}: {} messages were dropped since the last report ({} in all): the buffer was full while"
                     + " Kafka was slow or down. Raise bufferSize (or sendWindow) to hold more.", description,
                    total - before, total);
        }
    }

    void dropped(long count) {
        dropped.add(count);
    }

    public State state() {
        return state.get();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    /** Messages lost: the buffer overflowed while Kafka was slow or down, or the bridge stopped mid-retry. */
    public long droppedCount() {
        return dropped.sum() + droppedUpstream.getAsLong();
    }

    /** Messages not yet in Kafka: queued in the buffer plus sent and not yet acknowledged. */
    public long waitingCount() {
        return waiting.getAsLong() + unacknowledged.getAsLong();
    }

    public long unacknowledgedCount() {
        return unacknowledged.getAsLong();
    }

    public long failedAttempts() {
        return failedAttempts.sum();
    }

    public String description() {
        return description;
    }

    @Override
    public boolean isLiveness() {
        return false; // an unreachable broker is not a reason to restart the gateway
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("state", state().name());
        builder.detail("since", since.toString());
        builder.detail("delivered", deliveredCount());
        builder.detail("waiting", waitingCount());
        builder.detail("unacknowledged", unacknowledgedCount());
        builder.detail("dropped", droppedCount());
        counters.forEach((name, count) -> builder.detail(name, count.getAsLong()));
        if (lastError != null) {
            builder.detail("lastError", lastError);
        }
        if (state() == State.DOWN) {
            builder.message("Kafka " + description + ": brokers unreachable: " + lastError).down();
        } else if (state() == State.CONNECTING) {
            builder.message("Kafka " + description + ": connecting").down();
        } else {
            builder.up();
        }
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
