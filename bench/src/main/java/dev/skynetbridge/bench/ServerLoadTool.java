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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Load generator for the Skynet v2 server over real websockets.
 *
 * <pre>
 * java -cp target/skynet-bridge.jar dev.skynetbridge.bench.ServerLoadTool fanout --url ws://127.0.0.1:SKYNET_PORT/connect --server-pid PID
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


    private ServerLoadTool() {
    }

    public static void main(String[] args) throws Exception {
        ServerLoadSettings settings = ServerLoadSettings.parse(args);
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
                new IdleLoadRun(settings, vertx, client).run();
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

    static Future<WebSocket> connect(ServerLoadSettings settings, WebSocketClient client) {
        return connect(settings, client, null);
    }

    /** @param token name:secret put after the path, as client.lua does; null for none */
    static Future<WebSocket> connect(ServerLoadSettings settings, WebSocketClient client, String token) {
        return connect(settings.host, settings.port, settings.path, client, token);
    }

    static Future<WebSocket> connect(String host, int port, String basePath, WebSocketClient client, String token) {
        String path = token == null ? basePath : (basePath.endsWith("/") ? basePath : basePath + "/") + token;
        return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path));
    }

    /** --server-pid and --more-pids. */
    static List<Long> serverPids(ServerLoadSettings settings) {
        List<Long> pids = new ArrayList<>(settings.morePids);
        pids.add(0, settings.serverPid);
        return pids;
    }

    /** The server's CPU seconds, with those of --more-pids; -1 without --server-pid. */
    static double serverCpuSeconds(ServerLoadSettings settings, boolean systemOnly) {
        if (settings.serverPid <= 0) {
            return -1;
        }
        double total = 0;
        for (long pid : serverPids(settings)) {
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
        private final ServerLoadSettings settings;
        private final Vertx vertx;
        private final WebSocketClient client;
        private final List<Subscriber> subscribers = new ArrayList<>();
        private final List<PacedPublisher> publishers = new ArrayList<>();
        private volatile boolean recording;
        private volatile boolean stopping;

        TrafficRun(ServerLoadSettings settings, Vertx vertx, WebSocketClient client) {
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
            ThreadCpu threads0 = ThreadCpu.snapshot(serverPids(settings));
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
            ThreadCpu threads1 = ThreadCpu.snapshot(serverPids(settings));
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
            if (settings.serverPid > 0) {
                // The server's threads by role over the same window, in cores (see ThreadCpu).
                System.out.printf(Locale.ROOT, "THREADS|%s|%s%n", settings.label,
                        ThreadCpu.cores(threads1.since(threads0), seconds));
                System.out.println("busiest server threads (cores): " + threads1.busiest(threads0, seconds, 16));
            }
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

}
