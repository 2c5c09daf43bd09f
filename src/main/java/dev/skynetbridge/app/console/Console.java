package dev.skynetbridge.app.console;

import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.TrafficRecorder;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: installed on Camel Main's management HTTP server (the one serving /observe/health, so the
 * same host and port) once the context has started, at {@code /} (the page), {@code /console/*} (its files) and
 * {@code /api/*} (docs/console.md). Without a management server ({@code camel.management.enabled=false}) there is
 * no console; the hub's tap is installed either way so nothing about delivery depends on it.
 */
public final class Console {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    /** Traffic entries kept for viewers: a reference each; large enough for one second at the highest sample. */
    static final int TRAFFIC_RING = 512;
    /** Channels with a message counter of their own (the channels view); messages on more are counted together. */
    static final int MAX_TRACKED_CHANNELS = 1024;
    /** API requests waiting for the API thread, at most; more get 503. */
    static final int API_QUEUE = 32;

    private final CamelContext context;
    private final SkynetHub hub;
    private final ConsoleNode node;
    private final String configuredHost;
    private final String token;
    private final boolean observeTokenRequired;
    private final TrafficRecorder recorder;
    private final RouteActivity activity;
    private final ConsoleCounters counters = new ConsoleCounters();
    /** The stream's periodic events and the rates: one thread, whatever the number of viewers. */
    private ScheduledExecutorService thread;
    /** API answers, off the event loops; a short bounded queue, then 503. */
    private ThreadPoolExecutor apiWorker;

    private Console(CamelContext context, SkynetHub hub, ConsoleNode node, String host, String token,
            int trafficPerSecond, boolean observeTokenRequired) {
        this.context = context;
        this.observeTokenRequired = observeTokenRequired;
        this.hub = hub;
        this.node = node;
        this.configuredHost = host;
        this.token = token;
        this.recorder = new TrafficRecorder(TRAFFIC_RING, trafficPerSecond, MAX_TRACKED_CHANNELS);
        this.activity = new RouteActivity(context);
    }

    /**
     * Called before the routes are built: taps the hub, counts route exchanges, and installs the page and API on the
     * management server once the context has started.
     *
     * @param node this gateway's node id and cluster link (shown in the header and the overview)
     * @param host the management server's address ({@code skynet.management.host}), if the server does not say
     * @param observeTokenRequired whether /observe/* needs the token too
     */
    public static Console install(CamelContext context, SkynetHub hub, ConsoleNode node, String host, String token,
            int trafficPerSecond, boolean observeTokenRequired) {
        Console console = new Console(context, hub, node, host, token, trafficPerSecond, observeTokenRequired);
        hub.tap(console.recorder);
        context.getManagementStrategy().addEventNotifier(console.activity);
        try {
            context.addStartupListener(console.startupListener());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot install the console: " + e.getMessage(), e);
        }
        return console;
    }

    private StartupListener startupListener() {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the management server starts with the context; its router exists once it has
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                attach();
            }
        };
    }

    private void attach() {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            LOG.debug("No management server (camel.management.enabled=false): no console");
            return;
        }
        Router router = server.getRouter();
        // The address actually bound decides, whichever setting chose it (camel.management.host may be set directly).
        String host = server.getHost() == null ? configuredHost : server.getHost();
        ConsoleAccess access = new ConsoleAccess(host, token);
        thread = Executors.newSingleThreadScheduledExecutor(daemon("skynet-console"));
        apiWorker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(API_QUEUE),
                daemon("skynet-console-api"), new ThreadPoolExecutor.AbortPolicy());
        ConsoleSampler sampler = new ConsoleSampler(context, recorder, this::exchanges);
        BridgeStates bridges = new BridgeStates(context, activity, new BridgeMeters(context), sampler);
        ConsoleViews views = new ConsoleViews(hub, node, recorder, sampler, bridges, counters);
        ConsoleStream stream = new ConsoleStream(recorder, new ConsoleState(views), counters, thread);
        counters.bindTo(context, recorder);
        sampler.tick(System.nanoTime());
        thread.scheduleAtFixedRate(() -> {
            try {
                sampler.tick(System.nanoTime());
            } catch (RuntimeException e) {
                counters.failure("the rates", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        stream.start();
        if (observeTokenRequired) {
            // Ahead of the health and metrics handlers Camel registered when the server started.
            router.route("/observe/*").order(-1).handler(access.observeGuard());
        }
        byte[] page = resource("console/index.html");
        router.get("/").handler(access).handler(ctx -> page(ctx, page));
        router.route("/console/*").handler(access).handler(StaticHandler.create("console").setCachingEnabled(false));
        router.route("/api/*").handler(access);
        new ConsoleApi(hub, recorder, views, apiWorker).install(router, stream);
        String disabled = access.disabledReason();
        if (disabled != null) {
            LOG.warn("Console refused (401) on every request: {}", disabled);
        } else {
            LOG.info("Console on http://{}:{}/{}", server.getHost(), server.getPort(),
                    access.tokenRequired() ? " (token required)" : "");
        }
    }

    private long exchanges(String routeId) {
        RouteActivity.Counts counts = activity.of(routeId);
        return counts == null ? 0 : counts.completed.sum() + counts.failed.sum();
    }

    private static void page(RoutingContext ctx, byte[] page) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
                .end(io.vertx.core.buffer.Buffer.buffer(page));
    }

    private static byte[] resource(String name) {
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TrafficRecorder recorder() {
        return recorder;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the console's threads and removes the tap. */
    public void close() {
        hub.tap(null);
        if (thread != null) {
            thread.shutdownNow();
            apiWorker.shutdownNow();
        }
    }
}
