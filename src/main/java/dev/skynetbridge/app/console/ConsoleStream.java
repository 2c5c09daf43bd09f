package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.server.TrafficRecorder;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/events}: the console's live stream (server-sent events). Every {@value #TRAFFIC_MILLIS} ms an
 * event {@code traffic} with the sampled messages since the last one; every second an event {@code state} with the
 * overview, clients, channels, bridges and cluster. Each event is built once, on the console's own thread, and the
 * same text goes to every viewer: the event loops (which the management server shares with the Skynet server) only
 * write it.
 * At most {@value #MAX_VIEWERS} streams at once; a viewer whose connection has not taken the previous event yet
 * skips one (counted): a slow browser costs the gateway nothing.
 */
final class ConsoleStream {

    static final int MAX_VIEWERS = 16;
    static final int TRAFFIC_MILLIS = 250;
    static final int STATE_MILLIS = 1000;
    /** Traffic entries in one event at most: a quarter second at the highest sample rate the ring holds. */
    static final int BATCH = 128;

    /** One open stream. */
    private record Viewer(HttpServerResponse response, String address) {
    }

    private final TrafficRecorder recorder;
    private final ConsoleState state;
    private final ConsoleCounters counters;
    private final ScheduledExecutorService thread;
    private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    /** Console thread only. */
    private long position;

    ConsoleStream(TrafficRecorder recorder, ConsoleState state, ConsoleCounters counters,
            ScheduledExecutorService thread) {
        this.recorder = recorder;
        this.state = state;
        this.counters = counters;
        this.thread = thread;
    }

    /** Starts the periodic events on the console thread. */
    void start() {
        thread.scheduleWithFixedDelay(this::sendTraffic, TRAFFIC_MILLIS, TRAFFIC_MILLIS, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::sendState, STATE_MILLIS, STATE_MILLIS, TimeUnit.MILLISECONDS);
    }

    void handle(RoutingContext ctx) {
        Viewer viewer = new Viewer(ctx.response(), String.valueOf(ctx.request().remoteAddress()));
        synchronized (viewers) {
            if (viewers.size() >= MAX_VIEWERS) {
                ConsoleApi.error(ctx, 503, "Too many console viewers (" + MAX_VIEWERS + " live streams at once):"
                        + " close another console page");
                return;
            }
            viewers.add(viewer);
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        response.write("retry: 2000\n\n");
        recorder.watch();
        Runnable close = () -> {
            if (viewers.remove(viewer)) {
                recorder.unwatch();
            }
        };
        response.closeHandler(v -> close.run());
        response.exceptionHandler(e -> close.run());
        thread.execute(() -> write(viewer, "state", state.json()));
    }

    private void sendTraffic() {
        try {
            if (viewers.isEmpty()) {
                position = recorder.position();
                return;
            }
            TrafficRecorder.Batch batch = recorder.read(position, BATCH);
            position = batch.next();
            counters.trafficMissed(batch.missed());
            if (batch.entries().isEmpty()) {
                return;
            }
            List<Object> rows = new ArrayList<>(batch.entries().size());
            for (TrafficRecorder.Entry entry : batch.entries()) {
                rows.add(ConsoleViews.traffic(entry));
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("entries", rows);
            event.put("missed", batch.missed());
            String json = JsonValues.toJson(event);
            for (Viewer viewer : viewers) {
                write(viewer, "traffic", json);
            }
        } catch (RuntimeException e) {
            counters.failure("the traffic event", e);
        }
    }

    private void sendState() {
        try {
            if (viewers.isEmpty()) {
                return;
            }
            String json = state.json();
            for (Viewer viewer : viewers) {
                write(viewer, "state", json);
            }
        } catch (RuntimeException e) {
            counters.failure("the state event", e);
        }
    }

    private void write(Viewer viewer, String event, String json) {
        HttpServerResponse response = viewer.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.writeQueueFull()) {
            counters.slowViewerBatch(viewer.address());
            return;
        }
        response.write("event: " + event + "\ndata: " + json + "\n\n");
    }
}
