package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.KafkaBroker;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same Kafka replay route on three gateways of one cluster (real nats-server, real KRaft broker, a topic of three
 * partitions): one consumer group, so each record enters Skynet once in the whole cluster, and a v2 listener on every
 * gateway sees each record exactly once, also across a rebalance (one gateway's replay stopping and starting again,
 * as when that gateway restarts, moves partitions to the others and back).
 */
class KafkaReplayClusterTest {

    private static final String TOPIC = "cluster-archive";
    private static final String GROUP = "skynet-replay";
    private static final int PARTITIONS = 3;
    private static final int PER_PHASE = 60;
    private static final Channel CHANNEL = Channel.of("replayed");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private KafkaBroker broker;
    private NatsServer nats;
    private GatewayCluster cluster;

    @BeforeEach
    void start() {
        NatsServer.assumeAvailable();
        broker = new KafkaBroker();
        broker.start();
        broker.createTopic(TOPIC, PARTITIONS);
        nats = NatsServer.single().start();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void eachRecordIsReplayedOnceInTheWholeClusterAlsoAcrossARebalance() throws Exception {
        String route = KafkaRoutes.replay("replay", broker.bootstrapServers(), TOPIC, GROUP,
                Map.of("pollTimeoutMs", "1000"));
        cluster = new GatewayCluster(List.of(nats.url(), nats.url(), nats.url()), Map.of("replay", route), Map.of());
        cluster.awaitConnected();
        awaitGroupStable();
        List<RawWebSocket> listeners = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            RawWebSocket listener = cluster.v2(node);
            GatewayCluster.open(listener, false, CHANNEL);
            listeners.add(listener);
        }
        GatewayCluster.warmUp(cluster.v2(1), CHANNEL, listeners.toArray(new RawWebSocket[0]));
        List<List<Long>> received = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        produce(0, PER_PHASE);
        for (int i = 0; i < 3; i++) {
            readUntilAll(listeners.get(i), received.get(i), PER_PHASE);
        }

        // Node 2's replay leaves the group and joins again: its partitions go to nodes 1 and 3 and come back.
        cluster.node(2).restartRoute("replay");
        awaitGroupStable();
        produce(PER_PHASE, 2 * PER_PHASE);
        for (int i = 0; i < 3; i++) {
            readUntilAll(listeners.get(i), received.get(i), 2 * PER_PHASE);
        }
        for (int i = 0; i < 3; i++) {
            List<Long> got = received.get(i);
            assertThat(got).as("node " + (i + 1) + "'s listener: every record once").doesNotHaveDuplicates()
                    .hasSize(2 * PER_PHASE);
            for (int partition = 0; partition < PARTITIONS; partition++) {
                int p = partition;
                assertThat(got.stream().filter(seq -> seq % PARTITIONS == p).toList())
                        .as("node " + (i + 1) + ", partition " + p + ": in order").isSorted();
            }
        }
    }

    /** Record {@code seq} goes to partition {@code seq % PARTITIONS}; its payload is {@code {"seq": seq}}. */
    private void produce(long from, long to) throws Exception {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
            SkynetMessage message = new SkynetMessage(CHANNEL, Map.of("seq", seq), Map.of(),
                    Instant.parse("2026-03-01T10:00:00Z").plusSeconds(seq), "id-" + seq);
            records.add(KafkaRecords.archived(TOPIC, (int) (seq % PARTITIONS),
                    ArchiveRecordCodec.encode(message, ArchiveValueFormat.CBOR)));
        }
        KafkaRecords.produce(broker.bootstrapServers(), records);
    }

    /** Reads replayed records ({@code {"seq": n}}; warm-up markers are skipped) until {@code count} distinct ones. */
    private static void readUntilAll(RawWebSocket listener, List<Long> into, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (into.stream().distinct().count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + into.stream().distinct().count() + " of " + count
                        + " records replayed within " + WAIT + ": " + into);
            }
            RawWebSocket.Frame frame = listener.poll(200);
            if (frame != null && GatewayCluster.messageOf(frame).payload() instanceof Map<?, ?> payload) {
                into.add((Long) payload.get("seq"));
            }
        }
    }

    /** Waits until the group has a member on every gateway and every partition is assigned. */
    private void awaitGroupStable() {
        try (Admin admin = broker.admin()) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                        .get(10, TimeUnit.SECONDS).get(GROUP);
                int assigned = group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                return group.state() == ConsumerGroupState.STABLE && group.members().size() == 3
                       && assigned == PARTITIONS;
            });
        }
    }
}
