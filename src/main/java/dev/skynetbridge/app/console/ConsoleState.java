package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.json.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code state} event (overview, clients, channels, bridges, cluster) built at most once a second however many
 * viewers ask: health checks run once per second, not once per viewer.
 */
final class ConsoleState {

    private static final long MAX_AGE_NANOS = 900_000_000L;

    private final ConsoleViews views;
    private String json;
    private long builtAt;

    ConsoleState(ConsoleViews views) {
        this.views = views;
    }

    synchronized String json() {
        long now = System.nanoTime();
        if (json == null || now - builtAt > MAX_AGE_NANOS) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("overview", views.overview());
            state.put("clients", views.clients());
            state.put("channels", views.channels());
            state.put("bridges", views.bridges());
            state.put("cluster", views.cluster());
            json = JsonValues.toJson(state);
            builtAt = now;
        }
        return json;
    }
}
