package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.cluster.NodeAnnouncement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The other nodes of the cluster as this one hears them: one entry per run of a node (node id and instance) that
 * announced itself, {@code up} while its announcements arrive, {@code missing} after {@value #MISSING_AFTER_INTERVALS}
 * of its intervals without one, removed after {@value #REMOVED_AFTER_INTERVALS} or at once when it says it leaves.
 * At most {@value #MAX_ENTRIES} entries: a run announcing itself past that is not tracked (counted).
 *
 * <p>Two runs of one node id: a new run of a node that was killed and started again looks the same as a second
 * gateway given the same node id, at first. So a new run hides the id's older runs (a restart) but keeps them until
 * their removal; when a hidden run announces itself again, two gateways are running with that id: both are shown,
 * flagged {@code duplicate}, and the conflict is counted. A run of this node's own id is a duplicate at once: this
 * node is running. Thread-safe: NATS's thread updates it, the console, metrics and the announcer's timer read it.
 */
final class PeerTable {

    /** Runs tracked at most (hidden ones included). */
    static final int MAX_ENTRIES = 1000;
    static final int MISSING_AFTER_INTERVALS = 3;
    static final int REMOVED_AFTER_INTERVALS = 30;

    /** What an announcement changed, for the log. */
    enum Outcome { JOINED, RESTARTED, UPDATED, LEFT, CONFLICT, REFUSED, IGNORED }

    private record Run(String node, long instance) {
    }

    private static final class Entry {
        NodeAnnouncement announcement;
        long lastSeenNanos;
        Instant lastSeenAt;
        /** A newer run of the same node id came after it: not shown unless it announces itself again. */
        boolean hidden;
        /** Its turn to missing was logged already. */
        boolean reportedMissing;
    }

    private final String selfNode;
    private final long selfInstance;
    private final long ownIntervalMillis;
    private final LongSupplier nanos;
    private final Clock clock;
    private final Map<Run, Entry> entries = new LinkedHashMap<>();
    private long refused;
    private long conflicts;
    private long left;

    PeerTable(String selfNode, long selfInstance, long ownIntervalMillis, LongSupplier nanos, Clock clock) {
        this.selfNode = selfNode;
        this.selfInstance = selfInstance;
        this.ownIntervalMillis = ownIntervalMillis;
        this.nanos = nanos;
        this.clock = clock;
    }

    synchronized Outcome accept(NodeAnnouncement announcement) {
        if (announcement.node().equals(selfNode) && announcement.instance() == selfInstance) {
            return Outcome.IGNORED; // this node's own, should NATS ever echo it
        }
        Run run = new Run(announcement.node(), announcement.instance());
        Entry entry = entries.get(run);
        if (announcement.leaving()) {
            if (entries.remove(run) == null) {
                return Outcome.IGNORED;
            }
            left++;
            return Outcome.LEFT;
        }
        Outcome outcome;
        if (entry == null) {
            sweep();
            if (entries.size() >= MAX_ENTRIES) {
                refused++;
                return Outcome.REFUSED;
            }
            entry = new Entry();
            entries.put(run, entry);
            boolean earlierRun = false;
            for (Map.Entry<Run, Entry> other : entries.entrySet()) {
                if (other.getValue() != entry && other.getKey().node().equals(run.node())) {
                    other.getValue().hidden = true; // most likely a restart; a duplicate shows when it speaks again
                    earlierRun = true;
                }
            }
            outcome = run.node().equals(selfNode) ? Outcome.CONFLICT
                    : earlierRun ? Outcome.RESTARTED : Outcome.JOINED;
        } else if (entry.hidden) {
            entry.hidden = false;
            outcome = Outcome.CONFLICT;
        } else {
            outcome = Outcome.UPDATED;
        }
        if (outcome == Outcome.CONFLICT) {
            conflicts++;
        }
        entry.announcement = announcement;
        entry.reportedMissing = false;
        entry.lastSeenNanos = nanos.getAsLong();
        entry.lastSeenAt = clock.instant();
        return outcome;
    }

    /** Forgets the runs silent for longer than their removal time; returns the node ids removed. */
    synchronized List<String> sweep() {
        long now = nanos.getAsLong();
        List<String> removed = new ArrayList<>();
        for (Iterator<Map.Entry<Run, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Run, Entry> next = it.next();
            if (now - next.getValue().lastSeenNanos > REMOVED_AFTER_INTERVALS * intervalNanos(next.getValue())) {
                it.remove();
                if (!next.getValue().hidden) {
                    removed.add(next.getKey().node());
                }
            }
        }
        return removed;
    }

    /** Node ids of the runs shown that turned missing since the last call. */
    synchronized List<String> newlyMissing() {
        long now = nanos.getAsLong();
        List<String> missing = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (!entry.hidden && !entry.reportedMissing && state(entry, now) == ClusterPeer.State.MISSING) {
                entry.reportedMissing = true;
                missing.add(entry.announcement.node());
            }
        }
        return missing;
    }

    /** The runs shown, ordered by node id: each with its state and whether another running gateway has its id. */
    synchronized List<ClusterPeer> peers() {
        sweep();
        long now = nanos.getAsLong();
        Map<String, Integer> upPerNode = new HashMap<>();
        List<Entry> shown = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (!entry.hidden) {
                shown.add(entry);
                if (state(entry, now) == ClusterPeer.State.UP) {
                    upPerNode.merge(entry.announcement.node(), 1, Integer::sum);
                }
            }
        }
        List<ClusterPeer> peers = new ArrayList<>(shown.size());
        for (Entry entry : shown) {
            ClusterPeer.State state = state(entry, now);
            String node = entry.announcement.node();
            boolean duplicate = state == ClusterPeer.State.UP && (node.equals(selfNode) || upPerNode.get(node) > 1);
            peers.add(new ClusterPeer(entry.announcement, state, duplicate, entry.lastSeenAt));
        }
        peers.sort(Comparator.comparing((ClusterPeer peer) -> peer.announcement().node())
                .thenComparing(peer -> peer.announcement().instance()));
        return peers;
    }

    /** Node ids that two running gateways announce now (this node's own included). */
    synchronized List<String> duplicateNodes() {
        return peers().stream().filter(ClusterPeer::duplicate).map(peer -> peer.announcement().node()).distinct()
                .toList();
    }

    /** Runs shown in the given state. */
    synchronized long count(ClusterPeer.State state) {
        return peers().stream().filter(peer -> peer.state() == state).count();
    }

    /** Announcements of runs not tracked because the table was full (each of their announcements counts). */
    synchronized long refused() {
        return refused;
    }

    /** Times a second running gateway with an id already in use was seen. */
    synchronized long conflicts() {
        return conflicts;
    }

    /** Runs that said they stop and were dropped at once. */
    synchronized long left() {
        return left;
    }

    private ClusterPeer.State state(Entry entry, long now) {
        boolean silent = now - entry.lastSeenNanos > MISSING_AFTER_INTERVALS * intervalNanos(entry);
        return silent ? ClusterPeer.State.MISSING : ClusterPeer.State.UP;
    }

    /** The run's own interval, within the range a node may be given (this node's when it announced none). */
    private long intervalNanos(Entry entry) {
        long millis = entry.announcement.intervalMillis();
        if (millis <= 0) {
            millis = ownIntervalMillis;
        }
        millis = Math.max(ClusterOptions.MIN_ANNOUNCE_INTERVAL_MILLIS,
                Math.min(ClusterOptions.MAX_ANNOUNCE_INTERVAL_MILLIS, millis));
        return millis * 1_000_000L;
    }
}
