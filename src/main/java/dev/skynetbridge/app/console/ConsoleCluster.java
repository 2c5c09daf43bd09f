package dev.skynetbridge.app.console;

import dev.skynetbridge.app.GatewaySettings;
import dev.skynetbridge.protocol.cluster.NodeAnnouncement;
import dev.skynetbridge.server.cluster.ClusterPeer;
import dev.skynetbridge.server.cluster.ClusterPeers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's cluster view ({@code GET /api/cluster}, the page's Cluster tab): this node and every other node that
 * announces itself, with its state ({@code self}, {@code up}, {@code missing}), clients, channels, messages to and
 * from the cluster, when it was last heard and its NATS server; off (and how to join) without a cluster.
 */
final class ConsoleCluster {

    static final String JOIN = "Not in a cluster: set " + GatewaySettings.CLUSTER_NATS_URL.key() + " (the same NATS on"
            + " every gateway) and give each gateway its own " + GatewaySettings.CLUSTER_NODE_ID.key()
            + " (docs/cluster.md)";

    private ConsoleCluster() {
    }

    static Map<String, Object> view(ConsoleNode node) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", node.id());
        if (node.link() == null) {
            view.put("cluster", "off");
            view.put("join", JOIN);
            return view;
        }
        ClusterPeers peers = node.link().peers();
        view.put("cluster", node.link().isConnected() ? "UP" : "DOWN");
        List<ClusterPeer> others = peers.peers();
        List<String> duplicates = peers.duplicateNodes();
        List<Object> nodes = new ArrayList<>(others.size() + 1);
        nodes.add(row(peers.self(), "self", duplicates.contains(node.id()), null));
        for (ClusterPeer peer : others) {
            nodes.add(row(peer.announcement(), peer.state().name().toLowerCase(Locale.ROOT), peer.duplicate(),
                    peer.lastSeen()));
        }
        view.put("nodes", nodes);
        view.put("peersUp", others.stream().filter(peer -> peer.state() == ClusterPeer.State.UP).count());
        view.put("peersMissing", others.stream().filter(peer -> peer.state() == ClusterPeer.State.MISSING).count());
        view.put("duplicateNodeIds", duplicates);
        view.put("undecodableAnnouncements", peers.undecodable());
        view.put("unlistedAnnouncements", peers.refused());
        return view;
    }

    private static Map<String, Object> row(NodeAnnouncement announcement, String state, boolean duplicate,
            Instant lastSeen) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", announcement.node());
        // A random 64-bit number: as text, since JavaScript's numbers would round it.
        row.put("instance", Long.toHexString(announcement.instance()));
        row.put("state", state);
        row.put("duplicate", duplicate);
        row.put("version", announcement.gatewayVersion());
        row.put("startedAt", announcement.startedAt() == null ? null : announcement.startedAt().toString());
        Map<String, Object> clients = new LinkedHashMap<>();
        clients.put("v1", announcement.clientsV1());
        clients.put("v2", announcement.clientsV2());
        row.put("clients", clients);
        row.put("channels", announcement.channels());
        row.put("sent", announcement.sent());
        row.put("received", announcement.received());
        row.put("dropped", announcement.dropped());
        if (announcement.routes() < 0) {
            row.put("routes", null);
        } else {
            Map<String, Object> routes = new LinkedHashMap<>();
            routes.put("total", announcement.routes());
            routes.put("started", announcement.routesStarted());
            row.put("routes", routes);
        }
        row.put("lastSeen", lastSeen == null ? null : lastSeen.toString());
        row.put("nats", announcement.nats());
        return row;
    }
}
