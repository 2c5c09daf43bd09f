package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.support.RateLimitedWarning;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/**
 * Tells the consumer group, record by record, how far the {@code skynet-kafka-replay-source} replay got: once a
 * record's exchange is done (replayed, skipped or failed), its next offset is committed (asynchronously, so it costs
 * no round trip per record).
 *
 * <p>Why not Kafka's auto-commit alone: it commits every 5 s and before a rebalance, but not when camel-kafka stops
 * the consumer (it unsubscribes it first; KafkaReplayClusterTest saw the records of the last seconds before a stop
 * replayed again, even with camel-kafka's own commit on stop). In a cluster every gateway runs the replay in one
 * group, and the gateway that takes over the partitions of one that stopped would replay them a second time. With
 * this step the group's offset is at most the record in progress behind.
 *
 * <p>Needs camel-kafka's {@code allowManualCommit} (for the consumer and the record's partition and offset, in the
 * {@link KafkaConstants#MANUAL_COMMIT} header; nothing calls the manual commit itself). The commit runs on the
 * consumer's thread, the only one that may use it; an exchange finished on another thread is left to auto-commit.
 */
public class KafkaReplayProgress implements Processor {

    private final RateLimitedWarning warning =
            new RateLimitedWarning(LoggerFactory.getLogger(KafkaReplayProgress.class), 60, TimeUnit.SECONDS);
    private final OffsetCommitCallback onCommitted = (offsets, error) -> {
        if (error != null) {
            warning.warn("Kafka replay: could not commit the consumer group's offsets {} ({}); the next record's"
                         + " commit or Kafka's auto-commit carries them", offsets, error.toString());
        }
    };

    @Override
    public void process(Exchange exchange) {
        if (!(exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit record)) {
            return; // not a record of camel-kafka with allowManualCommit
        }
        Consumer<?, ?> consumer = record.getConsumer();
        Map<TopicPartition, OffsetAndMetadata> next =
                Map.of(record.getPartition(), new OffsetAndMetadata(record.getRecordOffset() + 1));
        Thread consumerThread = Thread.currentThread();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (Thread.currentThread() == consumerThread) {
                    consumer.commitAsync(next, onCommitted);
                }
            }
        });
    }
}
