package dev.skynetbridge.camel;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.KameletEndpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * The bridges of one CamelContext that are running now, each under the route id the user wrote (its name in metrics
 * and the console). A bridge's target registers itself when it starts and goes when it stops; watchers (the metrics
 * binder) hear of both. Bounded by the number of routes.
 */
public final class Bridges {

    /** One running bridge: its name, the route that receives its messages from Skynet, and its target's counters. */
    public record Bridge(String name, BridgeCounters counters) {
    }

    /** Told of bridges as they start and stop; called on the thread that starts or stops the route. */
    public interface Watcher {
        void added(Bridge bridge);

        void removed(Bridge bridge);
    }

    private final CamelContext context;
    private final List<Bridge> running = new CopyOnWriteArrayList<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    private Bridges(CamelContext context) {
        this.context = context;
    }

    /** The context's bridges, created on first use. */
    public static Bridges of(CamelContext context) {
        synchronized (context) {
            Bridges bridges = context.getCamelContextExtension().getContextPlugin(Bridges.class);
            if (bridges == null) {
                bridges = new Bridges(context);
                context.getCamelContextExtension().addContextPlugin(Bridges.class, bridges);
            }
            return bridges;
        }
    }

    /** Adds a running bridge; returns what removes it again (call it when the bridge stops). */
    public Runnable add(String name, BridgeCounters counters) {
        Bridge bridge = new Bridge(Objects.requireNonNull(name, "name"), Objects.requireNonNull(counters, "counters"));
        running.add(bridge);
        watchers.forEach(watcher -> watcher.added(bridge));
        return () -> {
            if (running.remove(bridge)) {
                watchers.forEach(watcher -> watcher.removed(bridge));
            }
        };
    }

    public List<Bridge> running() {
        return List.copyOf(running);
    }

    /** Adds a watcher and tells it of the bridges running already. */
    public void watch(Watcher watcher) {
        watchers.add(watcher);
        running.forEach(watcher::added);
    }

    /**
     * The {@code skynet:} consumer feeding route {@code routeId}: its own, or that of the {@code skynet-source}
     * Kamelet it starts from. Empty when the route does not start from Skynet (or is not running).
     */
    public Optional<SkynetConsumer> sourceOf(String routeId) {
        Route route = context.getRoute(routeId);
        if (route == null) {
            return Optional.empty();
        }
        Consumer consumer = route.getConsumer();
        if (route.getEndpoint() instanceof KameletEndpoint kamelet && kamelet.getRouteId() != null) {
            Route source = context.getRoute(kamelet.getRouteId());
            consumer = source == null ? null : source.getConsumer();
        }
        return consumer instanceof SkynetConsumer skynet ? Optional.of(skynet) : Optional.empty();
    }

    /**
     * The name of a bridge whose routes were made from templates with {@code parameter = value} (a
     * {@code bridgeId}): the user's route that uses the Kamelet {@code preferredKamelet}, else the route that starts
     * from Skynet, else {@code fallback}.
     */
    public String nameByTemplateParameter(String parameter, String value, String preferredKamelet, String fallback) {
        if (!(context instanceof ModelCamelContext model)) {
            return fallback;
        }
        String fromSkynet = null;
        for (RouteDefinition definition : model.getRouteDefinitions()) {
            Map<String, Object> parameters = definition.getTemplateParameters();
            if (parameters == null || !value.equals(String.valueOf(parameters.get(parameter)))) {
                continue;
            }
            Object parent = parameters.get("parentRouteId");
            if (preferredKamelet.equals(parameters.get("templateId")) && parent != null) {
                return parent.toString();
            }
            String input = definition.getInput() == null ? "" : String.valueOf(definition.getInput().getEndpointUri());
            if (fromSkynet == null && input.startsWith("skynet:")) {
                fromSkynet = parent != null ? parent.toString() : definition.getRouteId();
            }
        }
        return fromSkynet != null ? fromSkynet : fallback;
    }
}
