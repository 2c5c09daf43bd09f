package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.server.TrafficRecorder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Turns counters into rates once a second: messages per channel, exchanges per route (the last {@value #HISTORY}
 * seconds, for the sparklines) and messages through the hub. Holds one number per tracked channel and
 * {@value #HISTORY} per route: bounded by the recorder's channel limit and the routes.
 */
final class ConsoleSampler {

    static final int HISTORY = 60;

    private final CamelContext context;
    private final TrafficRecorder recorder;
    private final ToLongFunction<String> routeTotal;
    private Map<Channel, Long> lastChannelCounts = Map.of();
    private volatile Map<Channel, Double> channelRates = Map.of();
    private final Map<String, Long> lastRouteTotals = new HashMap<>();
    private final Map<String, ArrayDeque<Double>> routeHistory = new ConcurrentHashMap<>();
    private long lastRouted = -1;
    private volatile double messagesPerSecond;
    private long lastTickNanos;

    /** @param routeTotal the exchanges a route has handled so far */
    ConsoleSampler(CamelContext context, TrafficRecorder recorder, ToLongFunction<String> routeTotal) {
        this.context = context;
        this.recorder = recorder;
        this.routeTotal = routeTotal;
    }

    /** Called once a second from one thread (a Vert.x timer). */
    synchronized void tick(long nanos) {
        double seconds = lastTickNanos == 0 ? 1 : Math.max(0.001, (nanos - lastTickNanos) / 1e9);
        lastTickNanos = nanos;
        Map<Channel, Long> counts = recorder.channelCounts();
        Map<Channel, Double> rates = new HashMap<>(counts.size() * 2);
        for (Map.Entry<Channel, Long> entry : counts.entrySet()) {
            long before = lastChannelCounts.getOrDefault(entry.getKey(), entry.getValue());
            rates.put(entry.getKey(), (entry.getValue() - before) / seconds);
        }
        lastChannelCounts = counts;
        channelRates = rates;
        long routed = recorder.routed();
        messagesPerSecond = lastRouted < 0 ? 0 : (routed - lastRouted) / seconds;
        lastRouted = routed;
        List<String> present = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            String id = route.getRouteId();
            present.add(id);
            long total = routeTotal.applyAsLong(id);
            long before = lastRouteTotals.getOrDefault(id, total);
            lastRouteTotals.put(id, total);
            ArrayDeque<Double> history = routeHistory.computeIfAbsent(id, key -> new ArrayDeque<>(HISTORY + 1));
            synchronized (history) {
                history.addLast((total - before) / seconds);
                while (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
        }
        lastRouteTotals.keySet().retainAll(present);
        routeHistory.keySet().retainAll(present);
    }

    /** Messages a second on the channel over the last second; 0 when it has no counter. */
    double channelRate(Channel channel) {
        return channelRates.getOrDefault(channel, 0.0);
    }

    Map<Channel, Double> channelRates() {
        return channelRates;
    }

    double messagesPerSecond() {
        return messagesPerSecond;
    }

    /** Exchanges a second of the route, oldest first, at most {@value #HISTORY} values. */
    List<Double> routeHistory(String routeId) {
        ArrayDeque<Double> history = routeHistory.get(routeId);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }
}
