package dev.skynetbridge.app;

import dev.skynetbridge.server.cluster.ClusterLink;
import dev.skynetbridge.server.cluster.ClusterPeers;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * What a node's announcements say of its routes: the routes the user wrote (not those Kamelets create inside them,
 * as the console's bridges view counts) and how many of them are started. Read once per announce interval.
 */
final class ClusterRouteCount {

    private ClusterRouteCount() {
    }

    static void install(CamelContext context, ClusterLink link) {
        if (link != null) {
            link.peers().routes(() -> count(context));
        }
    }

    static ClusterPeers.RouteCount count(CamelContext context) {
        long routes = 0;
        long started = 0;
        for (Route route : context.getRoutes()) {
            if (route.isCreatedByKamelet()) {
                continue;
            }
            routes++;
            ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
            if (status != null && status.isStarted()) {
                started++;
            }
        }
        return new ClusterPeers.RouteCount(routes, started);
    }
}
