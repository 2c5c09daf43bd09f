package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.cluster.ClusterSubjects;
import dev.skynetbridge.protocol.cluster.NodeAnnouncement;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.GatewayProcess;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawNatsPublisher;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's nodes as each gateway sees them, over a real nats-server: whole gateways announcing themselves, and
 * another program on NATS ({@link RawNatsPublisher}) playing nodes that vanish, share an id or send garbage.
 */
class ClusterPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUBJECT = new ClusterSubjects(ClusterOptions.DEFAULT_SUBJECT_PREFIX).nodes();
    /** Fast announcements, so a silent node turns missing within a second here. */
    private static final Map<String, String> FAST = Map.of("skynet.cluster.announce-interval-ms", "200");
    private static final String LAMP_ROUTE = """
            - route:
                id: lamp
                from:
                  uri: "skynet:lamp"
                  steps:
                    - log: "lamp ${body}"
            """;

    private NatsServer nats;
    private GatewayCluster cluster;
    private GatewayUnderTest gateway;

    @BeforeEach
    void startNats() {
        NatsServer.assumeAvailable();
        LogCapture.install();
        nats = NatsServer.single().start();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        nats.close();
    }

    private static Optional<ClusterPeer> peer(ClusterLink link, String node) {
        return link.peers().peers().stream().filter(peer -> peer.announcement().node().equals(node)).findFirst();
    }

    private static boolean isUp(ClusterLink link, String node) {
        return peer(link, node).map(peer -> peer.state() == ClusterPeer.State.UP).orElse(false);
    }

    @Test
    void threeGatewaysSeeEachOtherWithTheirCountsAndOneStoppedCleanlyLeavesAtOnce() {
        cluster = new GatewayCluster(List.of(nats.url(), nats.url(), nats.url()), Map.of("lamp", LAMP_ROUTE), FAST);
        cluster.awaitConnected();
        for (int i = 1; i <= 3; i++) {
            ClusterLink link = cluster.link(i);
            await().atMost(WAIT).until(() -> link.peers().count(ClusterPeer.State.UP) == 2);
        }
        ClusterLink one = cluster.link(1);
        // A "*" listener on node 1: it subscribes to every channel subject (skynet.>), which the announcements
        // (skynet~nodes) are not under: none of them may reach it as a message.
        RawWebSocket everything = cluster.v2(1);
        GatewayCluster.open(everything, false, Channel.WILDCARD);
        await().atMost(WAIT).until(() -> one.interest().contains(Channel.WILDCARD));
        RawWebSocket v2 = cluster.v2(2);
        GatewayCluster.open(v2, false, Channel.of(7));
        RawWebSocket v1 = cluster.v1(3);
        GatewayCluster.open(v1, true, Channel.of("door"));
        // Counts travel with the next announcement. Node 2: its v2 client on 7, the route's "lamp"; node 3: its v1
        // client on "door" and "lamp".
        await().atMost(WAIT).until(() -> peer(one, "node-2").map(ClusterPeer::announcement)
                .filter(a -> a.clientsV2() == 1 && a.clientsV1() == 0 && a.channels() == 2).isPresent());
        await().atMost(WAIT).until(() -> peer(one, "node-3").map(ClusterPeer::announcement)
                .filter(a -> a.clientsV1() == 1 && a.clientsV2() == 0 && a.channels() == 2).isPresent());
        NodeAnnouncement two = peer(one, "node-2").orElseThrow().announcement();
        assertThat(two.routes()).isEqualTo(1);
        assertThat(two.routesStarted()).isEqualTo(1);
        assertThat(two.nats()).contains(String.valueOf(nats.port()));
        assertThat(two.gatewayVersion()).isNotEmpty();
        assertThat(two.startedAt()).isNotNull();
        assertThat(two.intervalMillis()).isEqualTo(200);
        assertThat(one.peers().self().node()).isEqualTo("node-1");
        assertThat(one.peers().duplicateNodes()).isEmpty();
        assertThat(one.metrics().undecodable()).as("no announcement taken for a message batch").isZero();
        assertThat(one.peers().undecodable()).isZero();
        assertThat(everything.poll(200)).as("nothing pushed to the \"*\" listener").isNull();

        cluster.stopNode(3);
        ClusterLink other = cluster.link(2);
        await().atMost(WAIT).until(() -> peer(one, "node-3").isEmpty() && peer(other, "node-3").isEmpty());
        assertThat(one.peers().left()).as("dropped on its leaving announcement, not for silence").isEqualTo(1);
        assertThat(other.peers().left()).isEqualTo(1);
        assertThat(peer(one, "node-2")).as("the other node stays listed").isPresent();
    }

    @Test
    void aKilledGatewayTurnsMissingThenIsRemoved() {
        gateway = GatewayCluster.startNode(1, nats.url(), Map.of(), FAST);
        ClusterLink link = gateway.application().services().clusterLink();
        try (GatewayProcess killed = GatewayProcess.launch("node-9", Map.of("SKYNET_CLUSTER_NATS_URL", nats.url(),
                "SKYNET_CLUSTER_ANNOUNCE_INTERVAL_MS", "200"))) {
            killed.awaitHealthy();
            await().atMost(WAIT).until(() -> isUp(link, "node-9"));
            killed.kill();
            await().atMost(WAIT).until(() -> peer(link, "node-9").map(ClusterPeer::state)
                    .orElse(null) == ClusterPeer.State.MISSING);
            // Logged by the announcer's next turn, which may come just after the state changed.
            await().atMost(WAIT).until(() -> !LogCapture.matching(line -> line.contains("node node-9 is missing"))
                    .isEmpty());
            await().atMost(WAIT).until(() -> peer(link, "node-9").isEmpty());
        }
        assertThat(link.peers().left()).as("it never said it left").isZero();
    }

    @Test
    void aNodeCutOffWithoutLeavingTurnsMissingThenIsRemoved() {
        gateway = GatewayCluster.startNode(1, nats.url(), Map.of(), FAST);
        ClusterLink link = gateway.application().services().clusterLink();
        await().atMost(WAIT).until(link::isConnected);
        try (RawNatsPublisher ghost = new RawNatsPublisher(nats.port())) {
            ghost.publish(SUBJECT, announcement("ghost", 1, 100).encode());
            ghost.flush();
            await().atMost(WAIT).until(() -> peer(link, "ghost").isPresent());
        } // the connection drops: no leaving announcement
        await().atMost(WAIT).until(() -> peer(link, "ghost").map(ClusterPeer::state).orElse(null)
                == ClusterPeer.State.MISSING);
        await().atMost(WAIT).until(() -> peer(link, "ghost").isEmpty());
        assertThat(link.peers().left()).isZero();
    }

    @Test
    void aSecondGatewayWithANodeIdInUseIsReportedNamingTheSetting() {
        gateway = GatewayCluster.startNode(1, nats.url(), Map.of(), FAST);
        ClusterLink link = gateway.application().services().clusterLink();
        await().atMost(WAIT).until(link::isConnected);
        try (RawNatsPublisher impostor = new RawNatsPublisher(nats.port())) {
            // Another gateway named node-1, like this one.
            impostor.publish(SUBJECT, announcement("node-1", 42, 60_000).encode());
            // Two gateways named twin: their announcements alternate.
            impostor.publish(SUBJECT, announcement("twin", 1, 60_000).encode());
            impostor.publish(SUBJECT, announcement("twin", 2, 60_000).encode());
            impostor.publish(SUBJECT, announcement("twin", 1, 60_000).encode());
            impostor.flush();
            await().atMost(WAIT).until(() -> link.peers().duplicateNodes().size() == 2);
        }
        assertThat(link.peers().duplicateNodes()).containsExactlyInAnyOrder("node-1", "twin");
        assertThat(link.peers().peers()).filteredOn(peer -> peer.announcement().node().equals("twin")).hasSize(2)
                .allSatisfy(peer -> assertThat(peer.duplicate()).isTrue());
        assertThat(link.peers().conflicts()).isEqualTo(2);
        assertThat(LogCapture.matching(line -> line.startsWith("WARN") && line.contains("node id node-1")
                && line.contains("skynet.cluster.node-id"))).isNotEmpty();
    }

    @Test
    void anUndecodableAnnouncementIsIgnoredAndCountedAndTheNextIsRead() {
        gateway = GatewayCluster.startNode(1, nats.url(), Map.of(), FAST);
        ClusterLink link = gateway.application().services().clusterLink();
        await().atMost(WAIT).until(link::isConnected);
        try (RawNatsPublisher other = new RawNatsPublisher(nats.port())) {
            other.publish(SUBJECT, "{\"hello\": \"I am not CBOR\"}".getBytes());
            other.publish(SUBJECT, new byte[] {(byte) 0xa1, 0x61, 0x76}); // a map cut short
            other.publish(SUBJECT, announcement("after", 1, 60_000).encode());
            other.flush();
            await().atMost(WAIT).until(() -> peer(link, "after").isPresent());
        }
        assertThat(link.peers().undecodable()).isEqualTo(2);
        assertThat(link.metrics().undecodable()).as("not counted as message envelopes").isZero();
        assertThat(link.isConnected()).isTrue();
        assertThat(LogCapture.matching(line -> line.contains("ignored a message on the node announcement subject")))
                .isNotEmpty();
    }

    @Test
    void theTableIsBoundedAndCountsTheNodesItDoesNotList() {
        gateway = GatewayCluster.startNode(1, nats.url(), Map.of(), FAST);
        ClusterLink link = gateway.application().services().clusterLink();
        await().atMost(WAIT).until(link::isConnected);
        try (RawNatsPublisher many = new RawNatsPublisher(nats.port())) {
            for (int i = 0; i < PeerTable.MAX_ENTRIES + 5; i++) {
                many.publish(SUBJECT, announcement("many-" + i, i, 60_000).encode());
            }
            many.flush();
            await().atMost(WAIT).until(() -> link.peers().refused() == 5);
        }
        assertThat(link.peers().peers()).hasSize(PeerTable.MAX_ENTRIES);
        assertThat(LogCapture.matching(line -> line.contains("tracks at most 1000"))).isNotEmpty();
    }

    private static NodeAnnouncement announcement(String node, long instance, long intervalMillis) {
        return new NodeAnnouncement(node, instance, "test", Instant.now(), intervalMillis, false, 0, 1, 1, 0, 0, 0, -1,
                -1, "nats://elsewhere:14222");
    }
}
