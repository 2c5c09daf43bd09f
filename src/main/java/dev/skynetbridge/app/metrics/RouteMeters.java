package dev.skynetbridge.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's route meters, in place of Camel's micrometer route policy ({@code camel.metrics.enable-route-policy =
 * false}), with the same meters ({@link RouteExchangeMeters}). Camel's keeps a Timer.Sample per exchange under an
 * exchange property whose name it formats with String.format two to four times per exchange: a third of the route
 * thread's time at 20,000 messages a second. This one builds the meters once per route and keeps only a start time on
 * the exchange, under a fixed name. Which routes get meters follows Camel's rule: routes made from a Kamelet or a route
 * template only when Camel's management registers those routes.
 */
public final class RouteMeters implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RouteMeters.class);

    private final CamelContext context;
    private volatile MeterRegistry registry;
    private volatile Boolean camelMetersRoutes;

    private RouteMeters(CamelContext context) {
        this.context = context;
    }

    /** Before the routes are built, so that every route, also those added later, gets a policy. */
    public static void install(CamelContext context) {
        context.addRoutePolicyFactory(new RouteMeters(context));
    }

    /**
     * Once Camel's MeterRegistry exists (the context has started): meters for the routes that started before it.
     * Without a registry (camel.metrics.enabled = false) the policies stay idle.
     */
    public static void registryReady(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        for (Route route : context.getRoutes()) {
            for (RoutePolicy policy : route.getRoutePolicyList()) {
                if (policy instanceof RouteMeterPolicy meterPolicy) {
                    meterPolicy.attach(registry);
                }
            }
        }
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RouteMeterPolicy(this);
    }

    /** Camel's registry, looked up until it exists (once per route start at most, never per exchange). */
    MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = found;
        }
        return found;
    }

    /** Whether this route gets meters: not twice beside Camel's own, and Kamelet/template routes as Camel decides. */
    boolean meters(Route route) {
        if (camelMetersRoutes()) {
            return false;
        }
        // Camel's defaults without a management agent: Kamelet routes no, template routes yes.
        ManagementAgent agent = context.getManagementStrategy() == null ? null
                : context.getManagementStrategy().getManagementAgent();
        boolean kamelets = agent != null && Boolean.TRUE.equals(agent.getRegisterRoutesCreateByKamelet());
        boolean templates = agent == null || !Boolean.FALSE.equals(agent.getRegisterRoutesCreateByTemplate());
        return !(route.isCreatedByKamelet() && !kamelets) && !(route.isCreatedByRouteTemplate() && !templates);
    }

    private boolean camelMetersRoutes() {
        Boolean camels = camelMetersRoutes;
        if (camels == null) {
            camels = context.getRoutePolicyFactories().stream()
                    .anyMatch(MicrometerRoutePolicyFactory.class::isInstance);
            if (camels) {
                // Both would count into the same counters (same names and tags): every exchange twice.
                LOG.warn("camel.metrics.enable-route-policy = true: Camel's route meters are on, so the gateway's "
                        + "(the same names, cheaper) are off; set it to false in config/application.properties");
            }
            camelMetersRoutes = camels;
        }
        return camels;
    }
}
