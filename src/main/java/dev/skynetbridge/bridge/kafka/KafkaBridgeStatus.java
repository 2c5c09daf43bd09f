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
    private final LongAdder failedAttempts = new LongAdder();
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile Counts counts = Counts.NONE;
    private final Map<String, LongSupplier> counters = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** The bridge's message counts, read when asked (the archive's outbox, the replay's counters). */
    public interface Counts {
        Counts NONE = new Counts() {
        };

        /** Messages the bridge was given (archive): delivered + failed + waiting + dropped. */
        default long received() {
            return 0;
        }

        /** Messages Kafka acknowledged (archive) or that were sent into Skynet (replay). */
        default long delivered() {
            return 0;
        }

        /** Messages Kafka gave up on or refused for good. */
        default long failed() {
            return 0;
        }

        /** Messages dropped because the bridge's buffer was full. */
        default long dropped() {
            return 0;
        }

        /** Messages not yet in Kafka: buffered plus sent and not yet acknowledged. */
        default long waiting() {
            return 0;
        }

        /** Messages sent to Kafka and not yet acknowledged. */
        default long unacknowledged() {
            return 0;
        }
    }

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

    /** Where the counts shown in the health check and returned by the getters come from. */
    void counts(Counts source) {
        this.counts = source;
    }

    /** A count of the bridge's own shown among the health check's details (the replay's records read, skipped). */
    void counter(String name, LongSupplier count) {
        counters.put(name, count);
    }

    /** Kafka acknowledged a record: called for every record, so the state is only written when it changes. */
    void acknowledged() {
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

    public State state() {
        return state.get();
    }

    /** Messages the archive was given: delivered + failed + waiting + dropped. */
    public long receivedCount() {
        return counts.received();
    }

    public long deliveredCount() {
        return counts.delivered();
    }

    /** Messages Kafka gave up on (its delivery timeout ran out, the bridge stopped before Kafka answered) or refused. */
    public long failedCount() {
        return counts.failed();
    }

    /** Messages dropped because the buffer was full while Kafka was slow or down, or left in it at a stop. */
    public long droppedCount() {
        return counts.dropped();
    }

    /** Messages not yet in Kafka: buffered plus sent and not yet acknowledged. */
    public long waitingCount() {
        return counts.waiting();
    }

    public long unacknowledgedCount() {
        return counts.unacknowledged();
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
        builder.detail("received", receivedCount());
        builder.detail("delivered", deliveredCount());
        builder.detail("waiting", waitingCount());
        builder.detail("unacknowledged", unacknowledgedCount());
        builder.detail("failed", failedCount());
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
