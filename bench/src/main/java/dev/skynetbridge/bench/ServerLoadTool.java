package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.SkynetServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Load generator for the Skynet v2 server over real websockets.
 *
 * <pre>
 * java -cp target/skynet-bridge.jar dev.skynetbridge.bench.ServerLoadTool fanout --url ws://127.0.0.1:3030/connect --server-pid PID
 * java -cp target/skynet-bridge.jar dev.skynetbridge.bench.ServerLoadTool fanin  --pubs 10 --delivered-rate 27500 ...
 * java -cp target/skynet-bridge.jar dev.skynetbridge.bench.ServerLoadTool idle   --connections 10000 ...
 * </pre>
 *
 * Run with {@code --help} for every option. Publishers put {@link System#nanoTime()} into the
 * first 8 bytes of a CBOR byte-string payload; publishers and subscribers live in this JVM, so
 * receive time minus that stamp is the end-to-end latency through the server.
 */
public final class ServerLoadTool {

    enum Mode { FANOUT, FANIN, IDLE }

    /** Every option with its default; parsed once from the command line. */
    static final class Settings {
        Mode mode;
        String host = "127.0.0.1";
        int port = ServerOptions.DEFAULT_PORT;
        String path = "/connect";
        boolean embedded;
        long serverPid = -1;
        /** More processes whose CPU time is added to the server's (the other gateways of a cluster). */
        List<Long> morePids = new ArrayList<>();
        /** Subscribers connect to these, in turn, instead of --url (the other gateways of a cluster). */
        List<URI> subUrls = new ArrayList<>();
        /** Pause between the subscribers' "open" and the first publish. */
        int settleMillis = 300;
        int pubs = -1;
        int subs = -1;
        int warmupSeconds = 5;
        int durationSeconds = 10;
        /** Delivered messages per second wanted over all subscribers; 0 = as fast as it goes. */
        long deliveredRate;
        int payloadBytes = 16;
        /** Per publisher: messages sent but not yet received by every subscriber. */
        int window = 256;
        int eventLoops = 2;
        int connections = 10_000;
        int connectConcurrency = 256;
        int holdSeconds = 0;
        boolean gcServer;
        long channelBase = 1000;
        String label;
        /** name:secret appended to the path of publishers / subscribers (a server with an access file). */
        String pubToken;
        String subToken;
        /** fanout subscribers open "*" instead of the channel (the path of "*" listeners and their deny rules). */
        boolean subWildcard;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            if (args.length == 0 || args[0].startsWith("--")) {
                usage("first argument: fanout, fanin or idle");
            }
            try {
                s.mode = Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                usage("unknown mode " + args[0]);
            }
            for (int i = 1; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--embedded")) {
                    s.embedded = true;
                    continue;
                }
                if (option.equals("--gc-server")) {
                    s.gcServer = true;
                    continue;
                }
                if (option.equals("--sub-wildcard")) {
                    s.subWildcard = true;
                    continue;
                }
                if (option.equals("--help")) {
                    usage(null);
                }
                if (i + 1 >= args.length) {
                    usage(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--url" -> {
                        URI uri = URI.create(value);
                        if (!"ws".equals(uri.getScheme())) {
                            usage("--url must be ws://host:port/path");
                        }
                        s.host = uri.getHost();
                        s.port = uri.getPort() < 0 ? 80 : uri.getPort();
                        s.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/connect" : uri.getRawPath();
                    }
                    case "--server-pid" -> s.serverPid = Long.parseLong(value);
                    case "--more-pids" -> {
                        for (String pid : value.split(",")) {
                            s.morePids.add(Long.parseLong(pid.trim()));
                        }
                    }
                    case "--sub-urls" -> {
                        for (String url : value.split(",")) {
                            URI uri = URI.create(url.trim());
                            if (!"ws".equals(uri.getScheme()) || uri.getPort() < 0) {
                                usage("--sub-urls must be ws://host:port/path,...");
                            }
                            s.subUrls.add(uri);
                        }
                    }
                    case "--settle-ms" -> s.settleMillis = Integer.parseInt(value);
                    case "--pubs" -> s.pubs = positive(option, value);
                    case "--subs" -> s.subs = positive(option, value);
                    case "--warmup" -> s.warmupSeconds = Integer.parseInt(value);
                    case "--duration" -> s.durationSeconds = positive(option, value);
                    case "--delivered-rate" -> s.deliveredRate = Long.parseLong(value);
                    case "--payload" -> s.payloadBytes = positive(option, value);
                    case "--window" -> s.window = positive(option, value);
                    case "--event-loops" -> s.eventLoops = positive(option, value);
                    case "--connections" -> s.connections = positive(option, value);
                    case "--connect-concurrency" -> s.connectConcurrency = positive(option, value);
                    case "--hold" -> s.holdSeconds = Integer.parseInt(value);
                    case "--label" -> s.label = value;
                    case "--pub-token" -> s.pubToken = value;
                    case "--sub-token" -> s.subToken = value;
                    default -> usage("unknown option " + option);
                }
            }
            if (s.payloadBytes < 8 || s.payloadBytes > 65_000) {
                usage("--payload must be 8..65000 bytes (the first 8 hold the send timestamp)");
            }
            if (s.pubs < 0) {
                s.pubs = s.mode == Mode.FANIN ? 10 : 1;
            }
            if (s.subs < 0) {
                s.subs = s.mode == Mode.FANOUT ? 10 : 1;
            }
            if (s.label == null) {
                s.label = s.mode.name().toLowerCase(Locale.ROOT) + " " + s.pubs + "->" + s.subs
                        + (s.deliveredRate > 0 ? " @" + s.deliveredRate + "/s" : " max");
            }
            return s;
        }

        private static int positive(String option, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                usage(option + " must be at least 1");
            }
            return n;
        }

        private static void usage(String problem) {
            if (problem != null) {
                System.err.println("ServerLoadTool: " + problem);
            }
            System.err.println("""
                    usage: ServerLoadTool fanout|fanin|idle [options]
                      --url ws://127.0.0.1:3030/connect  server to load (default)
                      --embedded             start the server in this JVM instead (CPU figures then include the generator)
                      --server-pid PID       process whose CPU time and resident memory are reported
                      --pubs N --subs N      fanout: 1 -> 10 on one channel; fanin: 10 -> 1 subscriber of "*"
                      --warmup S (5) --duration S (10)
                      --delivered-rate R     delivered messages/s over all subscribers (0 = max, default)
                      --payload BYTES (16)   byte-string payload; the first 8 bytes carry the send time
                      --window N (256)       per publisher, messages not yet received by every subscriber
                      --event-loops N (2)    load generator event loops
                      idle: --connections N (10000) --connect-concurrency N (256) --hold S (0) --gc-server
                      --label TEXT           name of the scenario in the result line
                      --sub-urls ws://..,ws://..   subscribers connect to these in turn (gateways of a cluster)
                      --more-pids P,P        add these processes' CPU to the server's (the other gateways)
                      --settle-ms MS (300)   pause between the subscribers' open and the first publish
                      --pub-token T --sub-token T   name:secret for a server with an access file (path/<token>)
                      --sub-wildcard         fanout subscribers open "*" rather than the channel""");
            System.exit(2);
        }
    }

    private ServerLoadTool() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Vertx serverVertx = null;
        SkynetServer server = null;
        if (settings.embedded) {
            serverVertx = Vertx.vertx();
            server = new SkynetServer(serverVertx, new ServerOptions().host("127.0.0.1").port(0),
                    new SkynetHub(ServerOptions.DEFAULT_V1_LOG_SIZE));
            server.start();
            settings.host = "127.0.0.1";
            settings.port = server.actualPort();
            settings.path = "/connect";
            settings.serverPid = ProcessHandle.current().pid();
            System.out.println("embedded server on port " + settings.port
                    + ": server and generator share this JVM, so the CPU figures include both");
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(settings.connections + settings.pubs + settings.subs + 16)
                .setConnectTimeout(30_000)
                .setTcpNoDelay(true));
        try {
            if (settings.mode == Mode.IDLE) {
                new IdleRun(settings, vertx, client).run();
            } else {
                new TrafficRun(settings, vertx, client).run();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (server != null) {
                server.stop();
                serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    static Future<WebSocket> connect(Settings settings, WebSocketClient client) {
        return connect(settings, client, null);
    }

    /** @param token name:secret put after the path, as client.lua does; null for none */
    static Future<WebSocket> connect(Settings settings, WebSocketClient client, String token) {
        return connect(settings.host, settings.port, settings.path, client, token);
    }

    static Future<WebSocket> connect(String host, int port, String basePath, WebSocketClient client, String token) {
        String path = token == null ? basePath : (basePath.endsWith("/") ? basePath : basePath + "/") + token;
        return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path));
    }

    /** The server's CPU seconds, with those of --more-pids; -1 without --server-pid. */
    static double serverCpuSeconds(Settings settings, boolean systemOnly) {
        if (settings.serverPid <= 0) {
            return -1;
        }
        double total = 0;
        List<Long> pids = new ArrayList<>(settings.morePids);
        pids.add(0, settings.serverPid);
        for (long pid : pids) {
            total += systemOnly ? ProcStats.systemCpuSeconds(pid) : ProcStats.cpuSeconds(pid);
        }
        return total;
    }

    /** The event loop context a client websocket runs its handlers on (Vert.x internal API). */
    static Context contextOf(WebSocket ws) {
        if (ws instanceof io.vertx.core.http.impl.WebSocketInternal internal
                && internal.connection() instanceof io.vertx.core.net.impl.ConnectionBase connection) {
            return connection.getContext();
        }
        throw new IllegalStateException("cannot find the event loop of " + ws.getClass().getName());
    }

    static <T> T await(Future<T> future, String what) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        }
    }

    // ------------------------------------------------------------------ fanout / fanin

    /** One fan-out or fan-in scenario: connect, open, warm up, measure, drain, report. */
    static final class TrafficRun {
        private final Settings settings;
        private final Vertx vertx;
        private final WebSocketClient client;
        private final List<Subscriber> subscribers = new ArrayList<>();
        private final List<PacedPublisher> publishers = new ArrayList<>();
        private volatile boolean recording;
        private volatile boolean stopping;

        TrafficRun(Settings settings, Vertx vertx, WebSocketClient client) {
            this.settings = settings;
            this.vertx = vertx;
            this.client = client;
        }

        void run() throws Exception {
            Channel subscribed = settings.mode == Mode.FANOUT && !settings.subWildcard ? Channel.of(settings.channelBase)
                    : Channel.of("*");
            for (int i = 0; i < settings.subs; i++) {
                Future<WebSocket> connecting;
                if (settings.subUrls.isEmpty()) {
                    connecting = connect(settings, client, settings.subToken);
                } else {
                    URI url = settings.subUrls.get(i % settings.subUrls.size());
                    connecting = connect(url.getHost(), url.getPort(), url.getRawPath(), client, settings.subToken);
                }
                WebSocket ws = await(connecting, "subscriber connect to " + target());
                Subscriber subscriber = new Subscriber(ws, settings.pubs);
                subscribers.add(subscriber);
                ws.writeBinaryMessage(Buffer.buffer(V2Codec.encodeOpen(subscribed)));
            }
            double perPublisherPerNano = settings.deliveredRate <= 0 ? 0
                    : settings.deliveredRate / (double) (settings.pubs * settings.subs) / 1e9;
            for (int p = 0; p < settings.pubs; p++) {
                WebSocket ws = await(connect(settings, client, settings.pubToken), "publisher connect to " + target());
                long channel = settings.mode == Mode.FANOUT ? settings.channelBase : settings.channelBase + p;
                publishers.add(publisher(p, channel, ws, perPublisherPerNano));
            }
            // "open" has no acknowledgement: give the server a moment, then let the first messages prove it.
            Thread.sleep(settings.settleMillis);
            for (PacedPublisher publisher : publishers) {
                publisher.start();
            }
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds);
            while (System.nanoTime() < warmupEnd) {
                Thread.sleep(100);
            }
            long self = ProcessHandle.current().pid();
            double serverCpu0 = serverCpuSeconds(settings, false);
            double serverSys0 = serverCpuSeconds(settings, true);
            double selfCpu0 = ProcStats.cpuSeconds(self);
            long received0 = totalReceived();
            long sent0 = totalSent();
            long t0 = System.nanoTime();
            recording = true;
            long last = received0;
            for (int second = 1; second <= settings.durationSeconds; second++) {
                long until = t0 + TimeUnit.SECONDS.toNanos(second);
                while (System.nanoTime() < until) {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
                long now = totalReceived();
                System.err.printf(Locale.ROOT, "  %2d s: %,d delivered/s%n", second, now - last);
                last = now;
            }
            recording = false;
            long t1 = System.nanoTime();
            long received1 = totalReceived();
            long sent1 = totalSent();
            double serverCpu1 = serverCpuSeconds(settings, false);
            double serverSys1 = serverCpuSeconds(settings, true);
            double selfCpu1 = ProcStats.cpuSeconds(self);
            double load = ProcStats.loadAverage();

            stopping = true;
            long expected = totalSent() * settings.subs;
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (totalReceived() < expected && System.nanoTime() < drainEnd) {
                Thread.sleep(20);
            }
            long undelivered = totalSent() * settings.subs - totalReceived();
            LatencyHistogram latency = mergedHistograms();
            long unparsed = subscribers.stream().mapToLong(s -> s.unparsed.get()).sum();

            double seconds = (t1 - t0) / 1e9;
            double delivered = (received1 - received0) / seconds;
            double published = (sent1 - sent0) / seconds;
            double serverCpu = serverCpu1 - serverCpu0;
            double selfCpu = selfCpu1 - selfCpu0;
            double perMillion = serverCpu0 < 0 ? -1 : serverCpu / ((received1 - received0) / 1e6);
            System.out.printf(Locale.ROOT, "%s: %,.0f delivered/s (%,.0f published/s) over %.1f s; latency ms p50 %.3f"
                            + " p99 %.3f p99.9 %.3f max %.3f (%,d samples); server CPU %.2f s = %.2f cores (%.0f %% system), %.2f s"
                            + " per 1M delivered; generator CPU %.2f cores; undelivered after drain %d; unparsed %d; load %.2f%n",
                    settings.label, delivered, published, seconds,
                    ms(latency.valueAtPercentile(50)), ms(latency.valueAtPercentile(99)),
                    ms(latency.valueAtPercentile(99.9)), ms(latency.max()), latency.count(),
                    serverCpu, serverCpu / seconds, 100 * (serverSys1 - serverSys0) / Math.max(serverCpu, 0.01),
                    perMillion, selfCpu / seconds, undelivered, unparsed, load);
            System.out.printf(Locale.ROOT, "RESULT|%s|%.0f|%.0f|%.3f|%.3f|%.3f|%.3f|%.2f|%.2f|%.2f|%d|%.2f%n",
                    settings.label, delivered, published,
                    ms(latency.valueAtPercentile(50)), ms(latency.valueAtPercentile(99)),
                    ms(latency.valueAtPercentile(99.9)), ms(latency.max()),
                    serverCpu / seconds, perMillion, selfCpu / seconds, undelivered, load);
        }

        private String target() {
            return "ws://" + settings.host + ":" + settings.port + settings.path;
        }

        private long totalReceived() {
            long total = 0;
            for (Subscriber subscriber : subscribers) {
                total += subscriber.total();
            }
            return total;
        }

        private long totalSent() {
            long total = 0;
            for (PacedPublisher publisher : publishers) {
                total += publisher.sentSoFar();
            }
            return total;
        }

        /** Lowest count of this publisher's messages received by any subscriber. */
        long minReceivedFrom(int publisher) {
            long min = Long.MAX_VALUE;
            for (Subscriber subscriber : subscribers) {
                min = Math.min(min, subscriber.receivedFrom.get(publisher));
            }
            return min;
        }

        /** Each histogram is read on the event loop that writes it. */
        private LatencyHistogram mergedHistograms() throws Exception {
            LatencyHistogram merged = new LatencyHistogram();
            for (Subscriber subscriber : subscribers) {
                CompletableFuture<LatencyHistogram> copy = new CompletableFuture<>();
                subscriber.context.runOnContext(v -> {
                    LatencyHistogram snapshot = new LatencyHistogram();
                    snapshot.add(subscriber.latency);
                    copy.complete(snapshot);
                });
                merged.add(copy.get(10, TimeUnit.SECONDS));
            }
            return merged;
        }

        /** Counts received pushes per publisher and records latency; runs on one event loop. */
        final class Subscriber {
            final Context context;
            final AtomicLongArray receivedFrom;
            final AtomicLong unparsed = new AtomicLong();
            final LatencyHistogram latency = new LatencyHistogram();
            private final PushProbe probe = new PushProbe();

            Subscriber(WebSocket ws, int publishers) {
                this.context = contextOf(ws);
                this.receivedFrom = new AtomicLongArray(publishers);
                ws.binaryMessageHandler(this::onPush);
                ws.textMessageHandler(text -> unparsed.incrementAndGet());
            }

            private void onPush(Buffer frame) {
                long now = System.nanoTime();
                if (!probe.read(frame)) {
                    unparsed.incrementAndGet();
                    return;
                }
                int publisher = (int) (probe.channel - settings.channelBase);
                if (publisher < 0 || publisher >= receivedFrom.length()) {
                    unparsed.incrementAndGet();
                    return;
                }
                // Single writer: a release store is enough for the publishers that read it.
                receivedFrom.lazySet(publisher, receivedFrom.get(publisher) + 1);
                if (recording) {
                    latency.record(now - probe.sentNanos);
                }
            }

            long total() {
                long total = unparsed.get();
                for (int i = 0; i < receivedFrom.length(); i++) {
                    total += receivedFrom.get(i);
                }
                return total;
            }
        }

        /** One publisher on its own channel: the frame carries its send time in the payload's first 8 bytes. */
        PacedPublisher publisher(int index, long channel, WebSocket ws, double perNano) {
            byte[] template = V2Codec.encodeSend(SkynetMessage.of(Channel.of(channel), new byte[settings.payloadBytes]));
            // encodeSend writes channel, then message, then extras (none): the payload ends the frame.
            int stampAt = template.length - settings.payloadBytes;
            return new PacedPublisher(vertx, ws, settings.window, perNano, 4096, () -> minReceivedFrom(index),
                    () -> stopping, n -> {
                        Buffer buffer = Buffer.buffer(template.clone());
                        buffer.setLong(stampAt, System.nanoTime());
                        return buffer;
                    });
        }
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    // ------------------------------------------------------------------ idle connections

    /** Opens many connections that each open one channel and then stay quiet; reports server RSS. */
    static final class IdleRun {
        private final Settings settings;
        private final Vertx vertx;
        private final WebSocketClient client;

        IdleRun(Settings settings, Vertx vertx, WebSocketClient client) {
            this.settings = settings;
            this.vertx = vertx;
            this.client = client;
        }

        void run() throws Exception {
            long pid = settings.serverPid;
            long rssBefore = ProcStats.residentKiB(pid);
            System.out.printf(Locale.ROOT, "server pid %d resident before: %,d KiB%n", pid, rssBefore);
            int n = settings.connections;
            WebSocket[] sockets = new WebSocket[n];
            Semaphore permits = new Semaphore(settings.connectConcurrency);
            AtomicInteger failed = new AtomicInteger();
            AtomicLong firstFailure = new AtomicLong();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("connections stopped completing after " + i);
                }
                int slot = i;
                connect(settings, client).onComplete(result -> {
                    if (result.succeeded()) {
                        sockets[slot] = result.result();
                        result.result().writeBinaryMessage(
                                Buffer.buffer(V2Codec.encodeOpen(Channel.of(settings.channelBase + slot))));
                    } else if (failed.incrementAndGet() == 1) {
                        firstFailure.set(slot);
                        System.err.println("connection " + slot + " failed: " + result.cause());
                    }
                    permits.release();
                });
            }
            if (!permits.tryAcquire(settings.connectConcurrency, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the last connections did not complete");
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%,d connections open in %.1f s (%d failed)%n", n - failed.get(),
                    connectSeconds, failed.get());

            boolean routed = checkRouting(sockets);
            Thread.sleep(3000);
            long rssOpen = ProcStats.residentKiB(pid);
            System.out.printf(Locale.ROOT, "server resident with %,d idle connections: %,d KiB%n", n - failed.get(), rssOpen);
            long rssAfterGc = -1;
            if (settings.gcServer && pid > 0) {
                Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (jcmd.waitFor(30, TimeUnit.SECONDS)) {
                    Thread.sleep(2000);
                    rssAfterGc = ProcStats.residentKiB(pid);
                    System.out.printf(Locale.ROOT, "server resident after a full GC (jcmd GC.run): %,d KiB%n", rssAfterGc);
                } else {
                    jcmd.destroy();
                }
            }
            if (settings.holdSeconds > 0) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(settings.holdSeconds));
            }
            System.out.printf(Locale.ROOT, "RESULT|idle %d|%d|%d|%d|%d|%s|%.2f%n", n, n - failed.get(), rssBefore,
                    rssOpen, rssAfterGc, routed, ProcStats.loadAverage());
        }

        /** One message from the first to the last connection proves the subscriptions are live. */
        private boolean checkRouting(WebSocket[] sockets) throws Exception {
            WebSocket first = sockets[0];
            WebSocket last = sockets[sockets.length - 1];
            if (first == null || last == null || first == last) {
                return false;
            }
            CompletableFuture<Boolean> got = new CompletableFuture<>();
            last.binaryMessageHandler(frame -> got.complete(true));
            long channel = settings.channelBase + sockets.length - 1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!got.isDone() && System.nanoTime() < deadline) {
                first.writeBinaryMessage(Buffer.buffer(V2Codec.encodeSend(SkynetMessage.of(Channel.of(channel), "ping"))));
                Thread.sleep(200);
            }
            System.out.println("routing check (first -> last connection's channel): " + (got.isDone() ? "delivered" : "NOT delivered"));
            return got.isDone();
        }
    }
}
