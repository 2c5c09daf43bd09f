package dev.skynetbridge.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.ExchangeHelper;

/**
 * The route meters of one route, under the names, tags and help texts Camel's micrometer route policy gives them
 * (camel-micrometer 4.17, default naming, {@code route-policy-level = route}), so dashboards built on Camel's keep
 * working: {@code camel_exchanges_total}, {@code _succeeded_total}, {@code _failed_total},
 * {@code _failures_handled_total}, {@code _external_redeliveries_total} and the timer
 * {@code camel_route_policy_seconds} (registered at the first finished exchange, as Camel does). Built once per
 * route; an exchange costs one boxed start time, a few counter increments and one timer record: no lookup, no string.
 */
final class RouteExchangeMeters {

    static final String TIMER = "camel.route.policy";
    static final String TOTAL = "camel.exchanges.total";
    static final String SUCCEEDED = "camel.exchanges.succeeded";
    static final String FAILED = "camel.exchanges.failed";
    static final String FAILURES_HANDLED = "camel.exchanges.failures.handled";
    static final String EXTERNAL_REDELIVERIES = "camel.exchanges.external.redeliveries";

    private final MeterRegistry registry;
    private final Tags tags;
    /** The exchange property that carries System.nanoTime() at begin: one per route, for routes nested via direct:. */
    private final String beginProperty;
    private final Counter total;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter failuresHandled;
    private final Counter externalRedeliveries;
    /** Set once at the first finished exchange; a race registers the same timer twice, which Micrometer dedupes. */
    private Timer timer;

    RouteExchangeMeters(MeterRegistry registry, Route route) {
        this.registry = registry;
        this.tags = Tags.of("camelContext", route.getCamelContext().getName(), "kind", "CamelRoute",
                "routeId", route.getId(), "eventType", "route");
        this.beginProperty = "SkynetRouteMetersBegin-" + route.getId();
        total = counter(TOTAL, "Total number of processed exchanges");
        succeeded = counter(SUCCEEDED, "Number of successfully completed exchanges");
        failed = counter(FAILED, "Number of failed exchanges");
        failuresHandled = counter(FAILURES_HANDLED, "Number of failures handled");
        externalRedeliveries = counter(EXTERNAL_REDELIVERIES,
                "Number of external initiated redeliveries (such as from JMS broker)");
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).tags(tags).description(help).register(registry);
    }

    void begin(Exchange exchange) {
        exchange.setProperty(beginProperty, System.nanoTime());
    }

    /** As Camel counts: failed, or succeeded (and then maybe a handled failure, an external redelivery). */
    void done(Exchange exchange) {
        Object begin = exchange.removeProperty(beginProperty);
        if (begin instanceof Long beganAt) {
            timer().record(System.nanoTime() - beganAt, TimeUnit.NANOSECONDS);
        }
        total.increment();
        if (exchange.isFailed()) {
            failed.increment();
            return;
        }
        succeeded.increment();
        if (ExchangeHelper.isFailureHandled(exchange)) {
            failuresHandled.increment();
        }
        if (exchange.isExternalRedelivered()) {
            externalRedeliveries.increment();
        }
    }

    private Timer timer() {
        Timer registered = timer;
        if (registered == null) {
            registered = Timer.builder(TIMER).tags(tags).description("Route performance metrics").register(registry);
            timer = registered;
        }
        return registered;
    }

    /** For a removed route, as Camel does: its series leave the scrape. */
    void remove() {
        registry.remove(total);
        registry.remove(succeeded);
        registry.remove(failed);
        registry.remove(failuresHandled);
        registry.remove(externalRedeliveries);
        Timer registered = timer;
        if (registered != null) {
            registry.remove(registered);
        }
    }
}
