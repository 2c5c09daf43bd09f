package dev.skynetbridge.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.cluster.NodeAnnouncement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The peer table's rules on a clock the test moves (the real-NATS behaviour is in ClusterPeersTest). */
class PeerTableTest {

    private static final long INTERVAL_MS = 1000;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final PeerTable table = new PeerTable("self", 1, INTERVAL_MS, nanos::get,
            Clock.fixed(Instant.parse("2026-12-02T20:00:00Z"), ZoneOffset.UTC));

    private static NodeAnnouncement of(String node, long instance) {
        return new NodeAnnouncement(node, instance, "test", Instant.EPOCH, INTERVAL_MS, false, 1, 2, 3, 4, 5, 6, 1, 1,
                "nats://127.0.0.1:1");
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    @Test
    void aNodeIsUpThenMissingAfterThreeSilentIntervalsThenRemoved() {
        assertThat(table.accept(of("a", 10))).isEqualTo(PeerTable.Outcome.JOINED);
        assertThat(table.accept(of("a", 10))).isEqualTo(PeerTable.Outcome.UPDATED);
        assertThat(table.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.state()).isEqualTo(ClusterPeer.State.UP);
            assertThat(peer.duplicate()).isFalse();
            assertThat(peer.announcement().clientsV2()).isEqualTo(2);
        });
        advanceMillis(3 * INTERVAL_MS - 1);
        assertThat(table.count(ClusterPeer.State.UP)).isEqualTo(1);
        advanceMillis(2);
        assertThat(table.count(ClusterPeer.State.MISSING)).isEqualTo(1);
        assertThat(table.newlyMissing()).containsExactly("a");
        assertThat(table.newlyMissing()).as("reported once").isEmpty();
        advanceMillis(27 * INTERVAL_MS);
        assertThat(table.sweep()).containsExactly("a");
        assertThat(table.peers()).isEmpty();
    }

    @Test
    void theNodesOwnIntervalDecidesWithinTheAllowedRange() {
        NodeAnnouncement slow = new NodeAnnouncement("slow", 1, "", null, 10_000, false, 0, 0, 0, 0, 0, 0, -1, -1, "");
        table.accept(slow);
        advanceMillis(5 * INTERVAL_MS);
        assertThat(table.count(ClusterPeer.State.UP)).as("3 x its 10 s").isEqualTo(1);
        NodeAnnouncement absurd = new NodeAnnouncement("absurd", 1, "", null, Long.MAX_VALUE, false, 0, 0, 0, 0, 0, 0,
                -1, -1, "");
        table.accept(absurd);
        advanceMillis(3 * ClusterOptions.MAX_ANNOUNCE_INTERVAL_MILLIS + 1);
        assertThat(table.peers()).filteredOn(peer -> peer.announcement().node().equals("absurd"))
                .singleElement().extracting(ClusterPeer::state).isEqualTo(ClusterPeer.State.MISSING);
    }

    @Test
    void aLeavingNodeGoesAtOnce() {
        table.accept(of("a", 10));
        assertThat(table.accept(of("a", 10).asLeaving())).isEqualTo(PeerTable.Outcome.LEFT);
        assertThat(table.peers()).isEmpty();
        assertThat(table.left()).isEqualTo(1);
        assertThat(table.accept(of("a", 10).asLeaving())).isEqualTo(PeerTable.Outcome.IGNORED);
    }

    @Test
    void aRestartReplacesTheOldRunWithoutAConflict() {
        table.accept(of("a", 10));
        assertThat(table.accept(of("a", 11))).isEqualTo(PeerTable.Outcome.RESTARTED);
        table.accept(of("a", 11));
        assertThat(table.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.announcement().instance()).isEqualTo(11);
            assertThat(peer.duplicate()).isFalse();
        });
        assertThat(table.conflicts()).isZero();
        assertThat(table.duplicateNodes()).isEmpty();
    }

    @Test
    void twoRunningGatewaysWithOneIdAreBothShownAsDuplicates() {
        table.accept(of("twin", 10));
        table.accept(of("twin", 20));
        assertThat(table.accept(of("twin", 10))).isEqualTo(PeerTable.Outcome.CONFLICT);
        assertThat(table.accept(of("twin", 20))).isEqualTo(PeerTable.Outcome.UPDATED);
        assertThat(table.peers()).hasSize(2).allSatisfy(peer -> assertThat(peer.duplicate()).isTrue());
        assertThat(table.duplicateNodes()).containsExactly("twin");
        assertThat(table.conflicts()).isEqualTo(1);
        // One of them stops (killed): once it is missing, the id is no longer in use twice.
        advanceMillis(2 * INTERVAL_MS);
        table.accept(of("twin", 20));
        advanceMillis(2 * INTERVAL_MS);
        assertThat(table.duplicateNodes()).isEmpty();
    }

    @Test
    void anotherGatewayWithThisNodesIdIsAConflictAtOnceAndItsOwnEchoIsIgnored() {
        assertThat(table.accept(of("self", 1))).isEqualTo(PeerTable.Outcome.IGNORED);
        assertThat(table.peers()).isEmpty();
        assertThat(table.accept(of("self", 2))).isEqualTo(PeerTable.Outcome.CONFLICT);
        assertThat(table.duplicateNodes()).containsExactly("self");
        assertThat(table.peers()).singleElement().extracting(ClusterPeer::duplicate).isEqualTo(true);
    }

    @Test
    void theTableHoldsAtMostItsBoundAndCountsTheRest() {
        for (int i = 0; i < PeerTable.MAX_ENTRIES; i++) {
            assertThat(table.accept(of("node-" + i, i))).isEqualTo(PeerTable.Outcome.JOINED);
        }
        assertThat(table.accept(of("one-too-many", 1))).isEqualTo(PeerTable.Outcome.REFUSED);
        assertThat(table.accept(of("node-5", 5))).as("a listed node still updates")
                .isEqualTo(PeerTable.Outcome.UPDATED);
        assertThat(table.refused()).isEqualTo(1);
        assertThat(table.peers()).hasSize(PeerTable.MAX_ENTRIES);
        // Room again once silent ones are removed.
        advanceMillis(31 * INTERVAL_MS);
        assertThat(table.accept(of("late", 1))).isEqualTo(PeerTable.Outcome.JOINED);
        assertThat(table.peers()).hasSize(1);
    }
}
