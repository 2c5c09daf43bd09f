package dev.skynetbridge.server.cluster;

import dev.skynetbridge.testsupport.NatsServer;
import java.util.List;

/** Three gateways on one nats-server. */
class ClusterOnOneNatsTest extends ClusterRoutingContract {

    private NatsServer nats;

    @Override
    List<String> startNats() {
        nats = NatsServer.single().start();
        return List.of(nats.url(), nats.url(), nats.url());
    }

    @Override
    void stopNats() {
        if (nats != null) {
            nats.close();
        }
    }
}
