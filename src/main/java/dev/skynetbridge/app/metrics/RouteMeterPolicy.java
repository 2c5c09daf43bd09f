package dev.skynetbridge.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.NonManagedService;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * One route's policy from {@link RouteMeters}: its meters are made when the route starts (or, for a route that started
 * before Camel's MeterRegistry existed, when the registry appears), kept while it is stopped, and removed with the
 * route, as Camel's route policy does.
 */
final class RouteMeterPolicy extends RoutePolicySupport implements NonManagedService {

    private final RouteMeters factory;
    /** The started route, so meters can be made for it once the registry exists. */
    private volatile Route started;
    /** Null while there is no registry, for a route Camel would not meter, and after removal. */
    private volatile RouteExchangeMeters meters;

    RouteMeterPolicy(RouteMeters factory) {
        this.factory = factory;
    }

    @Override
    public void onStart(Route route) {
        started = route;
        attach(factory.registry());
    }

    /** Makes the meters if the route has started, there is a registry and none were made yet. */
    synchronized void attach(MeterRegistry registry) {
        Route route = started;
        if (meters == null && route != null && registry != null && factory.meters(route)) {
            meters = new RouteExchangeMeters(registry, route);
        }
    }

    @Override
    public void onRemove(Route route) {
        RouteExchangeMeters removed;
        synchronized (this) {
            removed = meters;
            meters = null;
            started = null;
        }
        if (removed != null) {
            removed.remove();
        }
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        RouteExchangeMeters current = meters;
        if (current != null) {
            current.begin(exchange);
        }
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        RouteExchangeMeters current = meters;
        if (current != null) {
            current.done(exchange);
        }
    }
}
