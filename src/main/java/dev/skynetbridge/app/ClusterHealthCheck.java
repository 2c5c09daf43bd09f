package dev.skynetbridge.app;

import dev.skynetbridge.camel.ReadinessCheck;
import dev.skynetbridge.server.cluster.ClusterLink;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code skynet-cluster}: DOWN while the link to the other gateways (NATS) is down; local clients are served
 * meanwhile. Details: the node id, the NATS server in use, the link's counters.
 */
final class ClusterHealthCheck extends ReadinessCheck {

    static final String ID = "skynet-cluster";

    private final ClusterLink link;

    private ClusterHealthCheck(ClusterLink link) {
        super(ID);
        this.link = link;
    }

    static void register(CamelContext context, ClusterLink link) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null && link != null && registry.getCheck(ID).isEmpty()) {
            registry.register(new ClusterHealthCheck(link));
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("node", link.options().nodeId());
        builder.detail("nats", link.connectedUrl());
        link.metrics().snapshot().forEach((key, value) -> builder.detail("cluster." + key, value));
        builder.detail("cluster.receiveDropped", link.receiveDropped());
        if (link.isConnected()) {
            builder.up();
        } else {
            builder.down();
            builder.message("Cluster node " + link.options().nodeId() + " cannot reach NATS "
                    + link.options().redactedUrls() + "; local clients are served, messages for the other nodes are"
                    + " buffered (" + link.metrics().buffered() + ") or dropped (" + link.metrics().dropped() + ")");
        }
    }
}
