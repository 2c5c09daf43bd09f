package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.cluster.NodeAnnouncement;
import java.time.Instant;

/**
 * Another node of the cluster (one run of it) as this node hears it.
 *
 * @param announcement what it said last
 * @param state up while its announcements arrive; missing after a few of its intervals without one
 * @param duplicate another running gateway announces the same node id (this node included): a misconfiguration
 * @param lastSeen when its last announcement arrived here
 */
public record ClusterPeer(NodeAnnouncement announcement, State state, boolean duplicate, Instant lastSeen) {

    public enum State { UP, MISSING }
}
