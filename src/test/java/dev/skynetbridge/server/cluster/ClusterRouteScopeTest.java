package dev.skynetbridge.server.cluster;

import static dev.skynetbridge.testsupport.GatewayCluster.open;
import static dev.skynetbridge.testsupport.GatewayCluster.sendV2;
import static dev.skynetbridge.testsupport.GatewayCluster.warmUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.Test;

/** Which messages a route sees in a cluster: what entered on its own gateway, or (clusterMessages) all. */
class ClusterRouteScopeTest {

    private static final String ROUTES = """
            - route:
                id: local-only
                from:
                  uri: skynet:50
                  steps:
                    - to: seda:local
            - route:
                id: whole-cluster
                from:
                  uri: skynet:50?clusterMessages=true
                  steps:
                    - to: seda:cluster
            """;

    @Test
    void aRouteSeesWhatEnteredOnItsGatewayAndWithClusterMessagesEverything() {
        NatsServer.assumeAvailable();
        try (NatsServer nats = NatsServer.single().start();
             GatewayCluster cluster = new GatewayCluster(List.of(nats.url(), nats.url()),
                     Map.of("scope", ROUTES), Map.of())) {
            cluster.awaitConnected();
            Channel ch = Channel.of(50);
            RawWebSocket sender = cluster.v2(1);
            RawWebSocket remote = cluster.v2(2);
            open(remote, false, ch);
            warmUp(cluster.v2(1), ch, remote);
            sendV2(sender, SkynetMessage.of(ch, "the one"));
            assertThat(messageOf(remote)).isEqualTo("the one");

            assertThat(bodies(cluster.node(1), "seda:local")).as("entered on node 1").endsWith("the one");
            assertThat(bodies(cluster.node(1), "seda:cluster")).endsWith("the one");
            assertThat(bodies(cluster.node(2), "seda:cluster")).as("clusterMessages=true: node 2 sees it too")
                    .endsWith("the one");
            assertThat(bodies(cluster.node(2), "seda:local")).as("a bridge on node 2 does not handle it again")
                    .isEmpty();
        }
    }

    @Test
    void inClusterModeTheEmbeddedMqttBrokerSaysItDoesNotCluster() {
        LogCapture.install();
        int before = LogCapture.lines().size();
        List<Integer> ports = FreePorts.pick(2);
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of(), Map.of(
                "skynet.cluster.nats-url", "nats://127.0.0.1:" + ports.get(0),
                "skynet.mqtt.embedded.enabled", "true",
                "skynet.mqtt.embedded.port", String.valueOf(ports.get(1))))) {
            List<String> lines = LogCapture.lines();
            assertThat(lines.subList(before, lines.size()))
                    .filteredOn(line -> line.startsWith("WARN") && line.contains("embedded broker does not cluster"))
                    .singleElement().asString().contains("skynet.mqtt.url");
        }
    }

    private static Object messageOf(RawWebSocket socket) {
        return GatewayCluster.messageOf(socket.next()).payload();
    }

    /** Every body the route put on the queue so far (the warm-up markers included). */
    private static List<Object> bodies(GatewayUnderTest node, String queue) {
        List<Object> bodies = new ArrayList<>();
        try (ConsumerTemplate consumer = node.context().createConsumerTemplate()) {
            Object body;
            while ((body = consumer.receiveBody(queue, 500)) != null) {
                bodies.add(body);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bodies;
    }
}
