package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.KafkaBroker;
import dev.skynetbridge.testsupport.PrometheusScrape;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka archive's meters across an outage of a real (in-JVM KRaft) broker with a buffer too small for it: the
 * archive's buffer drops, its refusals are retried, and received = sent + failed + queued + dropped before, during
 * and after.
 */
class KafkaMetricsOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BRIDGE = "archive-tight";

    private final int managementPort = FreePorts.pick();
    private KafkaBroker broker;
    private GatewayUnderTest gateway;
    private Vertx vertx;

    @AfterEach
    void stop() {
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

    private double bridge(String meter) {
        return PrometheusScrape.of(managementPort, "/observe/metrics").value(meter, "bridge", BRIDGE, "kind", "kafka");
    }

    /** True at a quiet moment; the scrape is one consistent read of each counter. */
    private boolean addsUp() {
        PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
        double received = scrape.value("skynet_bridge_received_total", "bridge", BRIDGE);
        return received == scrape.value("skynet_bridge_sent_total", "bridge", BRIDGE)
                + scrape.value("skynet_bridge_failed_total", "bridge", BRIDGE)
                + scrape.value("skynet_bridge_queued", "bridge", BRIDGE)
                + scrape.value("skynet_bridge_dropped_total", "bridge", BRIDGE);
    }

    @Test
    void countersAddUpAcrossAKafkaOutageWithOverflow() {
        broker = new KafkaBroker();
        broker.start();
        gateway = GatewayUnderTest.start(Map.of("kafka", """
                - route:
                    id: %s
                    from:
                      uri: kamelet:skynet-source
                      parameters: {channel: "2", bridgeId: kafka}
                      steps:
                        - to:
                            uri: kamelet:skynet-kafka-archive-sink
                            parameters: {topic: tight, brokers: "%s", sendWindow: 2, bufferSize: 3}
                """.formatted(BRIDGE, broker.bootstrapServers())), Map.of(
                "camel.management.enabled", "true", "skynet.management.port", String.valueOf(managementPort)));
        vertx = Vertx.vertx();
        RawWebSocket game = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect");
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_connected") == 1);
        send(game, 0);
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_sent_total") == 1);
        assertThat(addsUp()).isTrue();

        broker.stop();
        for (long seq = 1; seq <= 20; seq++) {
            send(game, seq);
        }
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_received_total") == 21
                && bridge("skynet_bridge_dropped_total") >= 15);
        await().atMost(WAIT).until(this::addsUp);
        assertThat(bridge("skynet_bridge_queued")).as("at most the send window and the buffer wait")
                .isLessThanOrEqualTo(5);

        broker.start();
        await().atMost(WAIT).until(() -> bridge("skynet_bridge_queued") == 0 && bridge("skynet_bridge_connected") == 1);
        assertThat(addsUp()).isTrue();
        assertThat(bridge("skynet_bridge_sent_total") + bridge("skynet_bridge_dropped_total")).isEqualTo(21);
        assertThat(bridge("skynet_bridge_failed_total")).isZero();
        game.close();
    }

    private static void send(RawWebSocket game, long seq) {
        game.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(2), Map.of("seq", seq))));
    }
}
