package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.PrometheusScrape;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster link's meters, scraped from two real gateways on a real nats-server. */
class ClusterMetricsScrapeTest {

    @Test
    void messagesSentToAndReceivedFromTheClusterAreCountedOnEachSide() throws Exception {
        NatsServer.assumeAvailable();
        List<Integer> ports = FreePorts.pick(2);
        Vertx vertx = Vertx.vertx();
        try (NatsServer nats = NatsServer.single().start();
             GatewayUnderTest one = GatewayCluster.startNode(1, nats.url(), Map.of(), management(ports.get(0)));
             GatewayUnderTest two = GatewayCluster.startNode(2, nats.url(), Map.of(), management(ports.get(1)));
             RawWebSocket sender = RawWebSocket.connect(vertx, one.skynetPort(), "/connect");
             RawWebSocket listener = RawWebSocket.connect(vertx, two.skynetPort(), "/connect")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> scrape(ports.get(0)).value("skynet_cluster_connected") == 1
                    && scrape(ports.get(1)).value("skynet_cluster_connected") == 1);
            GatewayCluster.open(listener, false, Channel.of(42));
            GatewayCluster.warmUp(sender, Channel.of(42), listener);
            double sentBefore = scrape(ports.get(0)).value("skynet_cluster_sent_total");
            double receivedBefore = scrape(ports.get(1)).value("skynet_cluster_received_total");

            for (int i = 0; i < 5; i++) {
                GatewayCluster.sendV2(sender, SkynetMessage.of(Channel.of(42), i));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(listener.poll(10_000)).as("message %d across the cluster", i).isNotNull();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(scrape(ports.get(0)).value("skynet_cluster_sent_total") - sentBefore).isEqualTo(5);
                assertThat(scrape(ports.get(1)).value("skynet_cluster_received_total") - receivedBefore).isEqualTo(5);
            });
            PrometheusScrape first = scrape(ports.get(0));
            assertThat(first.value("skynet_cluster_dropped_total")).isZero();
            assertThat(first.value("skynet_cluster_buffered")).isZero();
            // Each gateway hears of the other one: one peer up, none missing, no id used twice.
            await().atMost(Duration.ofSeconds(20)).until(() -> scrape(ports.get(0))
                    .value("skynet_cluster_peers", "state", "up") == 1);
            PrometheusScrape peers = scrape(ports.get(0));
            assertThat(peers.value("skynet_cluster_peers", "state", "missing")).isZero();
            assertThat(peers.value("skynet_cluster_node_id_conflicts")).isZero();
            assertThat(peers.value("skynet_cluster_announcements_undecodable_total")).isZero();
            assertThat(peers.value("skynet_cluster_peers_unlisted_total")).isZero();
            assertThat(peers.type("skynet_cluster_peers")).contains("gauge");
        } finally {
            vertx.close();
        }
    }

    static Map<String, String> management(int port) {
        return Map.of("camel.management.enabled", "true", "skynet.management.port", String.valueOf(port));
    }

    static PrometheusScrape scrape(int port) {
        return PrometheusScrape.of(port, "/observe/metrics");
    }
}
