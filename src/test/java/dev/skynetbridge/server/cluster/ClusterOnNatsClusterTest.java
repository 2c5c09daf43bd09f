package dev.skynetbridge.server.cluster;

import dev.skynetbridge.testsupport.NatsServer;
import java.util.List;

/** Three gateways, each on its own server of a three-node NATS cluster (the messages cross NATS routes). */
class ClusterOnNatsClusterTest extends ClusterRoutingContract {

    private List<NatsServer> nats = List.of();

    @Override
    List<String> startNats() {
        nats = NatsServer.cluster(3);
        nats.forEach(NatsServer::start);
        return nats.stream().map(NatsServer::url).toList();
    }

    @Override
    void stopNats() {
        nats.forEach(NatsServer::close);
    }
}
