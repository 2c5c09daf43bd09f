package dev.skynetbridge.app.console;

import dev.skynetbridge.server.cluster.ClusterLink;
import dev.skynetbridge.server.cluster.ClusterMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which gateway the console belongs to: its node id (skynet.cluster.node-id, or host:port) and, in a cluster, the
 * state of its link to the other gateways, so an operator behind a load balancer knows which node's page this is.
 *
 * @param id the node id
 * @param link the cluster link, or null when skynet.cluster.nats-url is empty
 */
public record ConsoleNode(String id, ClusterLink link) {

    /** The overview's {@code node}: {@code {"id", "cluster": "UP"|"DOWN"|"off", ...the link's counters}}. */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        if (link == null) {
            view.put("cluster", "off");
            return view;
        }
        view.put("cluster", link.isConnected() ? "UP" : "DOWN");
        view.put("nats", link.connectedUrl());
        ClusterMetrics metrics = link.metrics();
        view.put("sent", metrics.sent());
        view.put("received", metrics.received());
        view.put("dropped", metrics.dropped());
        view.put("buffered", metrics.buffered());
        return view;
    }
}
