package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * startOncePerGroup: a partition the consumer group already has an offset for goes on from it, the others start as
 * configured (here from the end, so the two are told apart). Kafka's own MockConsumer stands in for the consumer the
 * rebalance callback hands over; KafkaReplayClusterTest runs it for real across three gateways.
 */
class KafkaReplayStartOncePerGroupTest {

    private static final TopicPartition READ_BEFORE = new TopicPartition("archive", 0);
    private static final TopicPartition NEW = new TopicPartition("archive", 1);

    private static MockConsumer<String, byte[]> consumerWithOneCommittedPartition() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.assign(List.of(READ_BEFORE, NEW));
        consumer.updateBeginningOffsets(Map.of(READ_BEFORE, 0L, NEW, 0L));
        consumer.updateEndOffsets(Map.of(READ_BEFORE, 10L, NEW, 10L));
        consumer.commitSync(Map.of(READ_BEFORE, new OffsetAndMetadata(4)));
        return consumer;
    }

    private static KafkaReplayStart fromTheEnd(String startOncePerGroup) {
        KafkaReplayStart start = new KafkaReplayStart();
        start.setTopic("archive");
        start.setFrom("end");
        start.setStartOncePerGroup(startOncePerGroup);
        start.validate();
        start.start();
        return start;
    }

    @Test
    void oncePerGroupOnlyAPartitionTheGroupHasNotReadStartsAsConfigured() {
        MockConsumer<String, byte[]> consumer = consumerWithOneCommittedPartition();
        fromTheEnd("true").position(consumer, consumer.assignment());
        assertThat(consumer.position(READ_BEFORE)).as("goes on from the group's offset").isEqualTo(4);
        assertThat(consumer.position(NEW)).as("starts as configured: at the end").isEqualTo(10);
    }

    @Test
    void onOneGatewayEveryStartPositionsEveryPartition() {
        MockConsumer<String, byte[]> consumer = consumerWithOneCommittedPartition();
        fromTheEnd("").position(consumer, consumer.assignment());
        assertThat(consumer.position(READ_BEFORE)).isEqualTo(10);
        assertThat(consumer.position(NEW)).isEqualTo(10);
    }

    @Test
    void anythingButTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> new KafkaReplayStart().setStartOncePerGroup("yes"))
                .hasMessageContaining("startOncePerGroup 'yes'").hasMessageContaining("true or false");
    }
}
