package dev.skynetbridge.app.console;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailureHandledEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts, per route, the exchanges that completed and failed and remembers the last failure: what the console shows
 * for a bridge whatever meters exist. One entry per route of the context (bounded by the routes), none per message.
 */
final class RouteActivity extends EventNotifierSupport {

    /** Counters of one route; {@code lastError} and {@code lastErrorAt} change together under the lock. */
    static final class Counts {
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
        private String lastError;
        private Instant lastErrorAt;

        synchronized void failure(String error, Instant at) {
            lastError = error;
            lastErrorAt = at;
        }

        synchronized String lastError() {
            return lastError;
        }

        synchronized Instant lastErrorAt() {
            return lastErrorAt;
        }
    }

    private final CamelContext context;
    private final Map<String, Counts> routes = new ConcurrentHashMap<>();

    RouteActivity(CamelContext context) {
        this.context = context;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeCompletedEvent completed) {
            Counts counts = countsOf(completed.getExchange());
            if (counts != null) {
                if (completed.getExchange().isFailed()) {
                    counts.failed.increment();
                    counts.failure(describe(completed.getExchange().getException()), Instant.now());
                } else {
                    counts.completed.increment();
                }
            }
        } else if (event instanceof ExchangeFailedEvent failed) {
            Counts counts = countsOf(failed.getExchange());
            if (counts != null) {
                counts.failed.increment();
                counts.failure(describe(failed.getExchange().getException()), Instant.now());
            }
        } else if (event instanceof ExchangeFailureHandledEvent handled) {
            // Handled by an error handler (a dead letter channel): a failure the route survived.
            Counts counts = countsOf(handled.getExchange());
            if (counts != null) {
                Throwable caught = handled.getExchange().getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                counts.failure(describe(caught), Instant.now());
            }
        }
    }

    private Counts countsOf(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        if (routeId == null) {
            return null;
        }
        Counts counts = routes.get(routeId);
        if (counts == null && context.getRoute(routeId) != null) {
            counts = routes.computeIfAbsent(routeId, id -> new Counts());
        }
        return counts;
    }

    /** The counters of a route, or null when it has had no exchange yet. */
    Counts of(String routeId) {
        return routes.get(routeId);
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "failed (no exception recorded)";
        }
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
