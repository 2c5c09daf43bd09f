package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.TrafficRecorder;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The console's JSON API under {@code /api} (docs/console.md): the same data the page shows, for scripts. Every
 * answer is JSON; every refusal is {@code {"error": "..."}} with what to do.
 */
final class ConsoleApi {

    /** A script reading /api/traffic keeps the traffic recorded this long after its last read. */
    static final long TRAFFIC_LEASE_MILLIS = 60_000;
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final SkynetHub hub;
    private final TrafficRecorder recorder;
    private final ConsoleViews views;
    private final Executor worker;
    private long leaseTimer = -1;

    /** @param worker where views are built and written as JSON, off the event loops; rejects when busy */
    ConsoleApi(SkynetHub hub, TrafficRecorder recorder, ConsoleViews views, Executor worker) {
        this.hub = hub;
        this.recorder = recorder;
        this.views = views;
        this.worker = worker;
    }

    void install(Router router, ConsoleStream stream) {
        router.get("/api/overview").handler(ctx -> answer(ctx, views::overview));
        router.get("/api/clients").handler(ctx -> answer(ctx, views::clients));
        router.get("/api/channels").handler(ctx -> answer(ctx, views::channels));
        router.get("/api/bridges").handler(ctx -> answer(ctx, views::bridges));
        router.get("/api/cluster").handler(ctx -> answer(ctx, views::cluster));
        router.get("/api/traffic").handler(this::traffic);
        router.get("/api/events").handler(stream::handle);
        router.post("/api/send").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(this::send);
        router.post("/api/clients/:id/disconnect").handler(this::disconnect);
        router.route("/api/*").handler(ctx -> error(ctx, 404, "No console API at " + ctx.request().method() + " "
                + ctx.request().path() + ": see docs/console.md (GET /api/overview, /api/clients, /api/channels,"
                + " /api/bridges, /api/cluster, /api/traffic, /api/events; POST /api/send,"
                + " /api/clients/<id>/disconnect)"));
    }

    private void send(RoutingContext ctx) {
        SendRequest request;
        try {
            request = SendRequest.parse(ctx.body().asString());
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        Delivery delivery = hub.publish(request.message());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", delivery.message().id());
        answer.put("channel", ConsoleViews.channel(request.channel()));
        answer.put("time", delivery.message().time().toString());
        json(ctx, 202, answer);
    }

    private void disconnect(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            error(ctx, 400, "Client ids are numbers (the id column of GET /api/clients), not " + ctx.pathParam("id"));
            return;
        }
        var participant = hub.participant(id);
        if (participant.isEmpty()) {
            error(ctx, 404, "No client " + id + ": it has already gone (GET /api/clients lists those connected)");
        } else if (!hub.disconnect(id, "disconnected from the console")) {
            error(ctx, 409, "Client " + id + " is an in-process route (" + participant.get().address()
                    + "): stop its route instead");
        } else {
            json(ctx, 202, Map.of("disconnecting", id));
        }
    }

    /** Builds the answer on the console's API thread; 503 when it already has a queue of requests. */
    private void answer(RoutingContext ctx, Supplier<Object> view) {
        try {
            worker.execute(() -> {
                String body;
                try {
                    body = JsonValues.toJson(view.get());
                } catch (RuntimeException e) {
                    error(ctx, 500, "The console could not build " + ctx.request().path() + ": " + e);
                    return;
                }
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store").end(body);
            });
        } catch (RejectedExecutionException e) {
            error(ctx, 503, "The console is busy answering other requests: try again in a second");
        }
    }

    /** {@code ?after=<next from the previous answer>&channel=n:42&q=text}: sampled messages, oldest first. */
    private void traffic(RoutingContext ctx) {
        extendLease(ctx.vertx());
        long after;
        Channel channel;
        try {
            String from = ctx.request().getParam("after");
            after = from == null ? Math.max(0, recorder.position() - recorder.capacity()) : Long.parseLong(from);
            String wanted = ctx.request().getParam("channel");
            channel = wanted == null || wanted.isEmpty() ? null : Channel.parseCanonical(wanted);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "Bad query: " + e.getMessage() + " (after=<number>, channel=n:<number> or s:<name>)");
            return;
        }
        String text = ctx.request().getParam("q");
        long from = after;
        Channel only = channel;
        answer(ctx, () -> traffic(from, only, text));
    }

    private Map<String, Object> traffic(long after, Channel channel, String text) {
        TrafficRecorder.Batch batch = recorder.read(after, recorder.capacity());
        List<Object> rows = new ArrayList<>();
        for (TrafficRecorder.Entry entry : batch.entries()) {
            if (channel != null && !entry.delivery().message().channel().equals(channel)) {
                continue;
            }
            Map<String, Object> row = ConsoleViews.traffic(entry);
            if (text != null && !text.isEmpty()
                    && !JsonValues.toJson(row).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
                continue;
            }
            rows.add(row);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("entries", rows);
        answer.put("next", batch.next());
        answer.put("missed", batch.missed());
        answer.put("skipped", recorder.skipped());
        return answer;
    }

    /** Called on the management server's event loop. */
    private synchronized void extendLease(Vertx vertx) {
        if (leaseTimer < 0) {
            recorder.watch();
        } else {
            vertx.cancelTimer(leaseTimer);
        }
        leaseTimer = vertx.setTimer(TRAFFIC_LEASE_MILLIS, id -> endLease());
    }

    private synchronized void endLease() {
        leaseTimer = -1;
        recorder.unwatch();
    }

    static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(JsonValues.toJson(body));
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, Map.of("error", message));
    }
}
