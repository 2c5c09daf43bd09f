package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.support.RateLimitedWarning;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/**
 * Tells the consumer group how far the {@code skynet-kafka-replay-source} replay got: once a record's exchange is
 * done (replayed, skipped or failed), its next offset is committed (asynchronously) when it is the last record of
 * its poll, when the route's consumer is stopping, and at least every {@value #COMMIT_EVERY} records. Between polls
 * (where rebalances happen and where a stop takes effect) the group's offset is therefore exactly what was
 * replayed. A commit per record cost more than half the replay's speed (20,000 records on one partition: 20.4 s
 * against 8.7 s without this step, on this shared machine); with one per poll it took 8.5 s.
 *
 * <p>Why not Kafka's auto-commit alone: it commits every 5 s and before a rebalance, but not when camel-kafka stops
 * the consumer (it unsubscribes it first; KafkaReplayClusterTest saw the records of the last seconds before a stop
 * replayed again, even with camel-kafka's own commit on stop). In a cluster every gateway runs the replay in one
 * group, and the gateway that takes over the partitions of one that stopped would replay them a second time.
 *
 * <p>Needs camel-kafka's {@code allowManualCommit} (for the consumer, the record's partition and offset, and the
 * last-record-of-the-poll header; nothing calls the manual commit itself). The commit runs on the consumer's
 * thread, the only one that may use it; an exchange finished on another thread is left to auto-commit.
 */
public class KafkaReplayProgress implements Processor {

    /** Records between two commits at most, should a stop slip in between two records of one poll. */
    static final int COMMIT_EVERY = 100;

    private final RateLimitedWarning warning =
            new RateLimitedWarning(LoggerFactory.getLogger(KafkaReplayProgress.class), 60, TimeUnit.SECONDS);
    private final OffsetCommitCallback onCommitted = (offsets, error) -> {
        if (error != null) {
            warning.warn("Kafka replay: could not commit the consumer group's offsets {} ({}); the next commit or"
                         + " Kafka's auto-commit carries them", offsets, error.toString());
        }
    };
    /** Records done since the last commit; the consumer's thread only. */
    private int uncommitted;

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        if (!(message.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit record)) {
            return; // not a record of camel-kafka with allowManualCommit
        }
        boolean lastOfPoll = Boolean.TRUE.equals(message.getHeader(KafkaConstants.LAST_POLL_RECORD, Boolean.class));
        Thread consumerThread = Thread.currentThread();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (Thread.currentThread() != consumerThread) {
                    return;
                }
                uncommitted++;
                if (lastOfPoll || uncommitted >= COMMIT_EVERY || stopping(done)) {
                    uncommitted = 0;
                    record.getConsumer().commitAsync(Map.of(record.getPartition(),
                            new OffsetAndMetadata(record.getRecordOffset() + 1)), onCommitted);
                }
            }
        });
    }

    /** Whether the route's consumer (or Camel) is stopping: the poll loop ends after this record. */
    private static boolean stopping(Exchange exchange) {
        CamelContext context = exchange.getContext();
        if (context.isStopping()) {
            return true;
        }
        Route route = exchange.getFromRouteId() == null ? null : context.getRoute(exchange.getFromRouteId());
        return route == null || !(route.getConsumer() instanceof ServiceSupport consumer)
               || consumer.isStoppingOrStopped();
    }
}
