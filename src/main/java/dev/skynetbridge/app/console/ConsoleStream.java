package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.server.TrafficRecorder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: the console's live stream (server-sent events). Every {@value #TRAFFIC_MILLIS} ms an
 * event {@code traffic} with the sampled messages since the last one; every second an event {@code state} with the
 * overview, clients, channels and bridges. At most {@value #MAX_VIEWERS} streams at once; a viewer whose connection
 * has not taken the previous batch yet skips one (counted): a slow browser costs the gateway nothing.
 */
final class ConsoleStream {

    static final int MAX_VIEWERS = 16;
    static final int TRAFFIC_MILLIS = 250;
    static final int STATE_MILLIS = 1000;
    /** Traffic entries sent in one event at most: four events a second at the default sample rate. */
    static final int BATCH = 100;

    private final TrafficRecorder recorder;
    private final ConsoleState state;
    private final ConsoleCounters counters;
    private final AtomicInteger viewers = new AtomicInteger();

    ConsoleStream(TrafficRecorder recorder, ConsoleState state, ConsoleCounters counters) {
        this.recorder = recorder;
        this.state = state;
        this.counters = counters;
    }

    void handle(RoutingContext ctx) {
        if (viewers.incrementAndGet() > MAX_VIEWERS) {
            viewers.decrementAndGet();
            ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                    .end(JsonValues.toJson(Map.of("error", "Too many console viewers (" + MAX_VIEWERS + " live"
                            + " streams at once): close another console page")));
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store");
        String viewer = String.valueOf(ctx.request().remoteAddress());
        recorder.watch();
        long[] position = {recorder.position()};
        Vertx vertx = ctx.vertx();
        response.write("retry: 2000\n\n");
        write(response, "state", state.json(), viewer);
        long trafficTimer = vertx.setPeriodic(TRAFFIC_MILLIS, id -> {
            TrafficRecorder.Batch batch = recorder.read(position[0], BATCH);
            position[0] = batch.next();
            counters.trafficMissed(batch.missed());
            if (!batch.entries().isEmpty()) {
                List<Object> rows = new ArrayList<>(batch.entries().size());
                for (TrafficRecorder.Entry entry : batch.entries()) {
                    rows.add(ConsoleViews.traffic(entry));
                }
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("entries", rows);
                event.put("missed", batch.missed());
                write(response, "traffic", JsonValues.toJson(event), viewer);
            }
        });
        long stateTimer = vertx.setPeriodic(STATE_MILLIS, id -> write(response, "state", state.json(), viewer));
        boolean[] closed = {false};
        Runnable close = () -> {
            if (!closed[0]) {
                closed[0] = true;
                vertx.cancelTimer(trafficTimer);
                vertx.cancelTimer(stateTimer);
                recorder.unwatch();
                viewers.decrementAndGet();
            }
        };
        response.closeHandler(v -> close.run());
        response.exceptionHandler(e -> close.run());
    }

    private void write(HttpServerResponse response, String event, String json, String viewer) {
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.writeQueueFull()) {
            counters.slowViewerBatch(viewer);
            return;
        }
        response.write("event: " + event + "\ndata: " + json + "\n\n");
    }
}
