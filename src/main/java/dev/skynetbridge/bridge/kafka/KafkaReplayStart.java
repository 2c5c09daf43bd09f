package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.protocol.SkynetTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.kafka.consumer.support.resume.KafkaResumeAdapter;
import org.apache.camel.processor.resume.TransientResumeStrategy;
import org.apache.camel.resume.Offset;
import org.apache.camel.resume.OffsetKey;
import org.apache.camel.resume.Resumable;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@code skynet-kafka-replay-source} consumer starts reading: when Kafka assigns it a partition,
 * the partition is positioned at {@code startOffset}, or at the first record whose timestamp is at
 * or after {@code startTime} ({@link Consumer#offsetsForTimes}; the end of the partition when there
 * is none), or, with neither, at its beginning or end ({@code from}). With both, the later position
 * wins. Records before the start are not fetched at all, so a large archive is not read from its
 * beginning to replay its last hour.
 *
 * <p>The archive writes the Skynet time as the record timestamp, so seeking by timestamp finds the
 * Skynet time. Kafka timestamps are milliseconds and a topic may be set to broker (log append)
 * time, which is never earlier; in both cases the seek never passes a wanted record, and
 * {@link KafkaReplayProcessor} drops the few records it lets through early by their Skynet time.
 *
 * <p>This is camel-kafka's hook for positioning a consumer on partition assignment: a resume
 * strategy, given to the route by its {@code resumable} step, whose Kafka adapter camel-kafka calls
 * from its rebalance listener. Each partition is positioned once per start of the route; when it
 * comes back after a rebalance or a reconnect, the consumer group's committed offset continues it.
 * Progress is not kept here: the group commits it.
 *
 * <p>With {@code startOncePerGroup} (the default in a cluster) only a partition the consumer group has no
 * committed offset for is positioned; the others go on from the group's offset. Every gateway of a cluster runs
 * the same replay in one group, and a partition moves between them whenever one starts, stops or restarts: the
 * gateway that gets it must go on where the last one left off, not read it again from the start (each record would
 * enter Skynet once more per move).
 */
public class KafkaReplayStart implements ResumeStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReplayStart.class);

    /** Where reading starts without startOffset and startTime. */
    public enum From { BEGINNING, END }

    private String topic;
    private From from = From.BEGINNING;
    private Long startOffset;
    private Instant startTime;
    private boolean startOncePerGroup;
    private final Set<TopicPartition> positioned = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> startOffsets = new ConcurrentHashMap<>();

    /** Called once when the route is created: from=end with a start position is a contradiction. */
    public void validate() {
        if (from == From.END && (startOffset != null || startTime != null)) {
            throw new IllegalArgumentException("Kafka replay of topic '" + topic + "': from=end cannot be combined with"
                    + " startOffset or startTime; leave from at beginning (or remove startOffset/startTime)");
        }
    }

    /**
     * Positions the partitions of {@code partitions} not yet positioned since the route started.
     * Runs on the consumer's thread inside its poll (the rebalance callback), where the consumer
     * may be used.
     */
    void position(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            if (!positioned.contains(partition)) {
                fresh.add(partition);
            }
        }
        if (startOncePerGroup) {
            fresh = withoutGroupOffsets(consumer, fresh);
        }
        if (fresh.isEmpty()) {
            return;
        }
        if (startOffset == null && startTime == null) {
            if (from == From.END) {
                consumer.seekToEnd(fresh);
            } else {
                consumer.seekToBeginning(fresh);
            }
            positioned.addAll(fresh);
            LOG.info("Kafka replay of topic {}: partitions {} are read from their {}", topic, numbers(fresh),
                    from.name().toLowerCase(Locale.ROOT));
            return;
        }
        try {
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(fresh);
            Map<TopicPartition, Long> ends = consumer.endOffsets(fresh);
            Map<TopicPartition, OffsetAndTimestamp> atTime = Map.of();
            if (startTime != null) {
                // Kafka timestamps are milliseconds: the record timestamp of a message at startTime is
                // startTime cut to the millisecond, never more.
                Map<TopicPartition, Long> query = new LinkedHashMap<>();
                fresh.forEach(partition -> query.put(partition, startTime.toEpochMilli()));
                atTime = consumer.offsetsForTimes(query);
            }
            for (TopicPartition partition : fresh) {
                long beginning = beginnings.get(partition);
                long end = ends.get(partition);
                long offset = beginning;
                if (startOffset != null) {
                    // Past the end Kafka would reset to the beginning (auto.offset.reset); the end is what is meant.
                    offset = Math.max(offset, Math.min(startOffset, end));
                }
                if (startTime != null) {
                    OffsetAndTimestamp found = atTime.get(partition);
                    offset = Math.max(offset, found == null ? end : found.offset());
                }
                consumer.seek(partition, offset);
                positioned.add(partition);
                startOffsets.put(partition, offset);
                LOG.info("Kafka replay of topic {}: partition {} starts at offset {} (it holds offsets {} to {}; {})",
                        topic, partition.partition(), offset, beginning, end - 1, describeStart());
            }
        } catch (RuntimeException e) {
            // Reading everything still gives the right records (KafkaReplayProcessor skips those before
            // the start); it only takes longer.
            consumer.seekToBeginning(fresh);
            positioned.addAll(fresh);
            LOG.warn("Kafka replay of topic {}: cannot find where partitions {} start ({}); reading them from the"
                     + " beginning instead, records before the start are skipped", topic, numbers(fresh), e.toString());
        }
    }

    /**
     * The partitions the consumer group has no committed offset for; the others are left where the group's offset
     * puts them (and count as positioned). When the group's offsets cannot be read, all of them: the start applies.
     */
    private List<TopicPartition> withoutGroupOffsets(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = consumer.committed(new HashSet<>(partitions));
        } catch (RuntimeException e) {
            LOG.warn("Kafka replay of topic {}: cannot read the consumer group's offsets of partitions {} ({});"
                     + " they start as configured, so records another gateway already replayed may come again",
                    topic, numbers(partitions), e.toString());
            return partitions;
        }
        List<TopicPartition> unstarted = new ArrayList<>();
        List<TopicPartition> continued = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            (committed.get(partition) == null ? unstarted : continued).add(partition);
        }
        if (!continued.isEmpty()) {
            positioned.addAll(continued);
            LOG.info("Kafka replay of topic {}: partitions {} go on from the consumer group's committed offsets"
                     + " (startOncePerGroup: this gateway or another of the group read them before)", topic,
                    numbers(continued));
        }
        return unstarted;
    }

    private String describeStart() {
        List<String> parts = new ArrayList<>();
        if (startOffset != null) {
            parts.add("startOffset " + startOffset);
        }
        if (startTime != null) {
            parts.add("startTime " + SkynetTime.formatRfc3339(startTime));
        }
        return String.join(", ", parts);
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    /** The offset each partition was positioned at by startOffset/startTime since the route started. */
    public Map<TopicPartition, Long> getStartOffsets() {
        return Map.copyOf(startOffsets);
    }

    /** The topic the route reads (log lines). */
    public void setTopic(String topic) {
        this.topic = topic;
    }

    /** {@code beginning} (default) or {@code end}: where reading starts without startOffset and startTime. */
    public void setFrom(String from) {
        String value = from == null ? "" : from.trim().toLowerCase(Locale.ROOT);
        this.from = switch (value) {
            case "", "beginning" -> From.BEGINNING;
            case "end" -> From.END;
            default -> throw new IllegalArgumentException("Kafka replay from '" + from + "': use beginning or end");
        };
    }

    /**
     * {@code true}: only partitions the consumer group has no committed offset for are positioned (a cluster);
     * {@code false} or empty: every partition, at every start of the route.
     */
    public void setStartOncePerGroup(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        this.startOncePerGroup = switch (text) {
            case "true" -> true;
            case "", "false" -> false;
            default -> throw new IllegalArgumentException("Kafka replay startOncePerGroup '" + value
                    + "': use true or false");
        };
    }

    /** The offset every partition starts at; empty for none. */
    public void setStartOffset(String startOffset) {
        this.startOffset = parseStartOffset(startOffset);
    }

    /** Start at the first record at or after this RFC 3339 time; empty for none. */
    public void setStartTime(String startTime) {
        this.startTime = parseStartTime(startTime);
    }

    static Long parseStartOffset(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long offset = Long.parseLong(text.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("Kafka replay startOffset '" + text
                + "' is not an offset; write a whole number of 0 or more, or leave it empty");
    }

    static Instant parseStartTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant parsed = SkynetTime.parseRfc3339(text.trim());
        if (parsed == null) {
            throw new IllegalArgumentException("Kafka replay startTime '" + text
                    + "' is not an RFC 3339 time; write it like 2026-11-20T18:00:00Z");
        }
        return parsed;
    }

    // --- ResumeStrategy: only the part camel-kafka uses on partition assignment ---

    /** A new adapter for each consumer camel-kafka creates, so each positions only with its own consumer. */
    @Override
    public ResumeAdapter getAdapter() {
        return new Positioner();
    }

    /** Camel offers the adapter it found for the consumer; the replay uses its own. */
    @Override
    public void setAdapter(ResumeAdapter adapter) {
        // not used: getAdapter() makes one per consumer
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset) {
        // progress is the consumer group's committed offset
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset, UpdateCallBack updateCallBack) {
        // progress is the consumer group's committed offset
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset) {
        // progress is the consumer group's committed offset
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset, UpdateCallBack updateCallBack) {
        // progress is the consumer group's committed offset
    }

    @Override
    public void setResumeStrategyConfiguration(ResumeStrategyConfiguration configuration) {
        // nothing to configure
    }

    /** Camel gives the cache of this configuration to the adapter it creates (and the replay does not use). */
    @Override
    public ResumeStrategyConfiguration getResumeStrategyConfiguration() {
        return TransientResumeStrategy.configurationBuilder().build();
    }

    /** Every start of the route positions every partition again. */
    @Override
    public void start() {
        positioned.clear();
        startOffsets.clear();
    }

    @Override
    public void stop() {
        // nothing held
    }

    /** What camel-kafka's rebalance listener calls when partitions are assigned to its consumer. */
    private final class Positioner extends KafkaResumeAdapter {

        private Consumer<?, ?> consumer;

        @Override
        public void setConsumer(Consumer<?, ?> consumer) {
            super.setConsumer(consumer);
            this.consumer = consumer;
        }

        @Override
        public void resume() {
            position(consumer, consumer.assignment());
        }
    }
}
