package dev.skynetbridge.app.metrics;

import dev.skynetbridge.server.cluster.ClusterLink;
import dev.skynetbridge.server.cluster.ClusterMetrics;
import dev.skynetbridge.server.cluster.ClusterPeer;
import dev.skynetbridge.server.cluster.ClusterPeers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The cluster link's meters, when skynet.cluster.nats-url is set. */
final class ClusterMeterBinder implements MeterBinder {

    /** Null without a cluster. */
    private final ClusterLink link;
    private MeterSet meters;

    ClusterMeterBinder(ClusterLink link) {
        this.link = link;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (link == null) {
            return;
        }
        ClusterMetrics metrics = link.metrics();
        ClusterPeers peers = link.peers();
        meters = new MeterSet(registry, Tags.empty())
                .gauge(GatewayMeter.CLUSTER_CONNECTED, () -> link.isConnected() ? 1 : 0)
                .counter(GatewayMeter.CLUSTER_SENT, metrics::sent)
                .counter(GatewayMeter.CLUSTER_RECEIVED, metrics::received)
                .counter(GatewayMeter.CLUSTER_DROPPED, metrics::dropped)
                .gauge(GatewayMeter.CLUSTER_BUFFERED, metrics::buffered)
                .counter(GatewayMeter.CLUSTER_DUPLICATES_SKIPPED, metrics::duplicatesSkipped)
                .counter(GatewayMeter.CLUSTER_UNDECODABLE, metrics::undecodable)
                .counter(GatewayMeter.CLUSTER_RECONNECTS, metrics::reconnects)
                .gauge(GatewayMeter.CLUSTER_PEERS, Tags.of("state", "up"), () -> peers.count(ClusterPeer.State.UP))
                .gauge(GatewayMeter.CLUSTER_PEERS, Tags.of("state", "missing"),
                        () -> peers.count(ClusterPeer.State.MISSING))
                .gauge(GatewayMeter.CLUSTER_NODE_ID_CONFLICTS, () -> peers.duplicateNodes().size())
                .counter(GatewayMeter.CLUSTER_PEERS_UNLISTED, peers::refused)
                .counter(GatewayMeter.CLUSTER_ANNOUNCEMENTS_UNDECODABLE, peers::undecodable);
    }
}
