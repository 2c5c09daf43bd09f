package dev.skynetbridge.app.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The per-bridge meters ({@code skynet.bridge.*}, tag {@code bridge} = route id) from Camel's MeterRegistry, when
 * metrics are on ({@code camel.metrics.enabled}) and the bridge registers them; otherwise nothing, and the console
 * shows its own counts only. Looked up when a view is built (once a second), never per message.
 */
final class BridgeMeters {

    static final List<String> COUNTERS = List.of("received", "sent", "failed", "dropped", "retried", "dead.lettered");
    static final List<String> GAUGES = List.of("queued", "connected", "last.success");
    private static final String PREFIX = "skynet.bridge.";

    private final CamelContext context;

    BridgeMeters(CamelContext context) {
        this.context = context;
    }

    private java.util.Set<MeterRegistry> registries() {
        return context.getRegistry().findByType(MeterRegistry.class);
    }

    /**
     * Meter name without the prefix (received, queued, ...) to value, only those that exist for this bridge; with
     * several registries bound, each meter from the first that has it.
     */
    Map<String, Double> of(String routeId) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (MeterRegistry registry : registries()) {
            read(registry, routeId).forEach(values::putIfAbsent);
        }
        return values;
    }

    private static Map<String, Double> read(MeterRegistry registry, String routeId) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String name : COUNTERS) {
            Search search = registry.find(PREFIX + name).tag("bridge", routeId);
            double total = 0;
            boolean found = false;
            for (Counter counter : search.counters()) {
                total += counter.count();
                found = true;
            }
            for (FunctionCounter counter : search.functionCounters()) {
                total += counter.count();
                found = true;
            }
            if (found) {
                values.put(name, total);
            }
        }
        for (String name : GAUGES) {
            Gauge gauge = registry.find(PREFIX + name).tag("bridge", routeId).gauge();
            if (gauge != null) {
                values.put(name, gauge.value());
            }
        }
        return values;
    }
}
