package dev.skynetbridge.app;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Registers Camel's {@code route-controller} readiness check, which Camel Main does not register by itself:
 * DOWN while the supervising route controller is still starting routes or waits to start a failed one again.
 * Without it a route that failed to start (a Kafka archive whose broker name does not resolve yet) takes its
 * own checks with it and {@code /observe/health} says UP while the route is not running.
 */
final class RouteControllerReadiness {

    private RouteControllerReadiness() {
    }

    static void register(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return; // health checks are off (camel.health.enabled=false)
        }
        Object check = registry.resolveById("route-controller");
        if (check != null) {
            registry.register(check);
        }
    }
}
