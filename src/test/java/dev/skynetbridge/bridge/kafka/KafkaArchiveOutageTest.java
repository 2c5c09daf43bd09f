package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.KafkaBroker;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive while the real broker is down: the gateway starts without it, the bridge connects
 * when it comes up, messages sent during an outage (a few seconds here; the 30 s only
 * changes how long they wait) are delivered exactly once and in order after it, and a bridge whose
 * window and buffer are too small keeps the oldest (sent) and newest (queued) messages and drops
 * the ones between, counted.
 */
class KafkaArchiveOutageTest {

    static final Duration OUTAGE = Duration.ofSeconds(30);

    static KafkaBroker broker;
    static GatewayUnderTest gateway;
    static Vertx vertx;

    static String routes(String brokers) {
        return KafkaRoutes.archive("archive-roomy", brokers, "roomy", "1", Map.of())
                + KafkaRoutes.archive("archive-tight", brokers, "tight", "2", Map.of("sendWindow", "2", "bufferSize", "3"))
                + KafkaRoutes.replay("replay-while-down", brokers, "replay-source", "outage-replay", Map.of());
    }

    @BeforeAll
    static void start() {
        broker = new KafkaBroker(); // ports chosen, broker NOT started: the gateway must start anyway
        vertx = Vertx.vertx();
        gateway = GatewayUnderTest.start(Map.of("kafka", routes(broker.bootstrapServers())));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    KafkaBridgeStatus status(String topic) {
        HealthCheck check = HealthCheckRegistry.get(gateway.context()).getCheck("skynet-kafka-archive-" + topic)
                .orElseThrow(() -> new AssertionError("no health check for the archive to " + topic));
        return (KafkaBridgeStatus) check;
    }

    /** The replay's own check, and camel-kafka's check of its consumer, from the health check registry. */
    HealthCheck.State replayHealth() {
        return check("skynet-kafka-replay-replay-source");
    }

    /** camel-kafka's readiness check of the replay's consumer, which sits in the Kamelet's own route. */
    HealthCheck.State replayConsumerHealth() {
        String kameletRoute = gateway.context().getRoutes().stream()
                .filter(route -> route.getEndpoint().getEndpointUri().startsWith("kafka://replay-source"))
                .findFirst().orElseThrow().getId();
        return check("consumer:" + kameletRoute);
    }

    HealthCheck.State check(String id) {
        return HealthCheckRegistry.get(gateway.context()).getCheck(id).map(c -> c.call().getState())
                .orElse(HealthCheck.State.UNKNOWN);
    }

    static HealthCheck.State health(KafkaBridgeStatus status) {
        return status.call().getState();
    }

    static byte[] send(int channel, long seq) {
        return V2Codec.encodeSend(SkynetMessage.of(Channel.of(channel), Map.of("seq", seq)));
    }

    static long seqOf(ConsumerRecord<String, byte[]> record) {
        return (Long) ((Map<?, ?>) KafkaArchiveReplayTest.decode(record).payload()).get("seq");
    }

    @Test
    void startsWithoutTheBrokerThenDeliversEverythingAcrossAnOutageInOrderAndCountsWhatIsDropped()
            throws Exception {
        // 1. Started without Kafka: routes run, the bridge says it cannot reach the brokers.
        assertThat(gateway.context().getRouteController().getRouteStatus(gateway.context().getRoutes().get(0).getId()))
                .isEqualTo(ServiceStatus.Started);
        await().atMost(Duration.ofSeconds(30)).until(() -> status("roomy").state() == KafkaBridgeStatus.State.DOWN);
        assertThat(health(status("roomy"))).isEqualTo(HealthCheck.State.DOWN);
        assertThat(gateway.context().getRouteController().getRouteStatus("replay-while-down"))
                .isEqualTo(ServiceStatus.Started);
        await().atMost(Duration.ofSeconds(30)).until(() -> replayHealth() == HealthCheck.State.DOWN);
        assertThat(replayConsumerHealth()).isEqualTo(HealthCheck.State.DOWN);

        // 2. Kafka comes up: the bridges connect by themselves.
        broker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> status("roomy").state() == KafkaBridgeStatus.State.UP
                && status("tight").state() == KafkaBridgeStatus.State.UP);
        assertThat(health(status("roomy"))).isEqualTo(HealthCheck.State.UP);

        try (RawWebSocket listener = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            listener.sendBinary(V2Codec.encodeOpen(Channel.of(9)));
            await().until(() -> gateway.context().getRegistry().findSingleByType(dev.skynetbridge.server.SkynetHub.class)
                    .subscriberCount(Channel.of(9)) == 1);
            KafkaRecords.produce(broker.bootstrapServers(), List.of(KafkaRecords.archived("replay-source",
                    ArchiveRecordCodec.encode(new SkynetMessage(Channel.of(9), "after the outage", null,
                            java.time.Instant.now(), null), ArchiveValueFormat.CBOR))));
            assertThat(KafkaArchiveReplayTest.push(listener.next().bytes()).payload())
                    .as("the replay route started without Kafka and reads once it is up").isEqualTo("after the outage");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> replayHealth() == HealthCheck.State.UP);
        assertThat(replayConsumerHealth()).isEqualTo(HealthCheck.State.UP);

        try (RawWebSocket game = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            for (long seq = 1; seq <= 5; seq++) {
                game.sendBinary(send(1, seq));
            }
            game.sendBinary(send(2, 0));
            KafkaRecords.readUntil(broker.bootstrapServers(), "roomy", got -> got.size() == 5);
            KafkaRecords.readUntil(broker.bootstrapServers(), "tight", got -> got.size() == 1);

            // 3. The outage: Kafka is down for 30 s while traffic flows (the sends are paced over it).
            broker.stop();
            for (long seq = 6; seq <= 25; seq++) {
                game.sendBinary(send(1, seq));
                Thread.sleep(OUTAGE.toMillis() / 20);
            }
            for (long seq = 1; seq <= 20; seq++) {
                game.sendBinary(send(2, seq));
            }
            // tight: at most two are sent and wait for Kafka, three wait in the archive's buffer: the others (at
            // least fifteen; more while the sender still waited for Kafka's client) are dropped, counted. The route
            // never waits, so no message waits anywhere else.
            await().atMost(Duration.ofSeconds(30)).until(() -> status("tight").droppedCount() >= 15
                    && status("tight").receivedCount() == 21);
            assertThat(status("tight").waitingCount()).isLessThanOrEqualTo(5)
                    .isEqualTo(20 - status("tight").droppedCount());
            assertThat(status("roomy").droppedCount()).isZero();
            // roomy: all twenty sit in its window; without acknowledgements for a few seconds the bridge reports DOWN.
            await().atMost(Duration.ofSeconds(30)).until(() -> status("roomy").waitingCount() == 20);
            assertThat(status("roomy").unacknowledgedCount()).isEqualTo(20);
            await().atMost(Duration.ofSeconds(30)).until(() -> status("roomy").state() == KafkaBridgeStatus.State.DOWN);
            assertThat(health(status("roomy"))).isEqualTo(HealthCheck.State.DOWN);
            assertThat(status("roomy").failedAttempts()).isPositive();
            assertThat(status("roomy").deliveredCount()).isEqualTo(5);

            // 4. Kafka is back: everything held is delivered, in order, nothing lost or doubled.
            broker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> status("roomy").deliveredCount() == 25);
            List<ConsumerRecord<String, byte[]>> roomy = KafkaRecords.readUntil(broker.bootstrapServers(), "roomy",
                    got -> got.size() >= 25);
            assertThat(roomy).extracting(KafkaArchiveOutageTest::seqOf)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
            assertThat(KafkaRecords.endOffset(broker.bootstrapServers(), "roomy")).as("no duplicates").isEqualTo(25);

            await().atMost(Duration.ofSeconds(60)).until(() -> status("tight").deliveredCount()
                    + status("tight").droppedCount() == 21);
            KafkaBridgeStatus tightStatus = status("tight");
            assertThat(tightStatus.receivedCount()).as("received = sent + failed + queued + dropped")
                    .isEqualTo(tightStatus.deliveredCount() + tightStatus.failedCount() + tightStatus.waitingCount()
                            + tightStatus.droppedCount()).isEqualTo(21);
            long dropped = status("tight").droppedCount();
            List<ConsumerRecord<String, byte[]>> tight = KafkaRecords.readUntil(broker.bootstrapServers(), "tight",
                    got -> got.size() >= 21 - dropped);
            List<Long> survivors = tight.stream().skip(1).map(KafkaArchiveOutageTest::seqOf).toList();
            assertThat(survivors).as("in order, the newest kept").isSorted().doesNotHaveDuplicates()
                    .endsWith(18L, 19L, 20L).hasSize((int) (20 - dropped));
            assertThat(KafkaRecords.endOffset(broker.bootstrapServers(), "tight"))
                    .as("delivered + dropped account for every message").isEqualTo(21 - dropped);
            await().atMost(Duration.ofSeconds(30)).until(() -> status("roomy").state() == KafkaBridgeStatus.State.UP);
            assertThat(status("roomy").deliveredCount()).isEqualTo(25);

            // 5. Stopping while Kafka is down does not hang: what Kafka never acknowledged is counted as failed.
            broker.stop();
            for (long seq = 26; seq <= 28; seq++) {
                game.sendBinary(send(1, seq));
            }
            KafkaBridgeStatus roomyStatus = status("roomy");
            await().atMost(Duration.ofSeconds(30)).until(() -> roomyStatus.unacknowledgedCount() == 3);
            gateway.close();
            gateway = null;
            assertThat(roomyStatus.failedCount()).isEqualTo(3);
            assertThat(roomyStatus.droppedCount()).isZero();
            assertThat(roomyStatus.deliveredCount()).isEqualTo(25);
            assertThat(roomyStatus.receivedCount()).isEqualTo(28);
        }
    }
}
