package dev.skynetbridge.bench;

import dev.skynetbridge.server.ConnectionLimits;
import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.SkynetServer;
import dev.skynetbridge.server.cluster.ClusterLink;
import dev.skynetbridge.server.cluster.ClusterOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Just the Skynet server and its hub, no Camel: the process the load tool measures, in its own
 * JVM so the load generator cannot borrow its CPU unnoticed.
 *
 * <pre>java -Xmx512m -cp target/skynet-bridge.jar dev.skynetbridge.bench.BenchServer --port 0</pre>
 *
 * No connection limits unless {@code --default-limits}; {@code --acl-file} serves an access file.
 * Prints {@code pid=<pid> port=<port>} once listening. Stops on
 * SIGTERM, when stdin closes if {@code --until-stdin-closes}, or after {@code --max-seconds} (default 1800) so a forgotten one does not linger.
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0; // any free port: it prints the one it got
        int eventLoops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        long maxSeconds = 1800;
        boolean watchStdin = false;
        String aclFile = null;
        String natsUrl = null;
        long sendLingerMillis = 0;
        String nodeId = "bench";
        // Limits off by default: one publisher here sends far more than the per-connection defaults allow.
        ConnectionLimits limits = ConnectionLimits.NONE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--event-loops" -> eventLoops = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[++i]);
                case "--until-stdin-closes" -> watchStdin = true;
                case "--acl-file" -> aclFile = args[++i];
                case "--default-limits" -> limits = ConnectionLimits.DEFAULTS;
                case "--nats-url" -> natsUrl = args[++i];
                case "--send-linger-ms" -> sendLingerMillis = Long.parseLong(args[++i]);
                case "--node-id" -> nodeId = args[++i];
                default -> {
                    System.err.println("usage: BenchServer [--port N (0 = any free one, the default)] [--event-loops N] "
                            + "[--max-seconds S (1800)] [--until-stdin-closes] [--acl-file FILE] [--default-limits]"
                            + " [--nats-url URL --node-id ID (a cluster node)] [--send-linger-ms MS (0)]");
                    System.exit(2);
                }
            }
        }
        // As the gateway does: Netty's epoll transport when it loads (-Dio.netty.transport.noNative=true gives NIO).
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(true));
        SkynetHub hub = new SkynetHub(ServerOptions.DEFAULT_V1_LOG_SIZE);
        SkynetServer server = new SkynetServer(vertx, new ServerOptions().host("127.0.0.1").port(port)
                .accessFile(aclFile).limits(limits), hub);
        server.start();
        ClusterLink cluster = null;
        if (natsUrl != null) {
            // One node of a cluster, as the gateway runs it (skynet.cluster.nats-url): the same link, the same hub.
            cluster = new ClusterLink(new ClusterOptions(List.of(natsUrl), nodeId, ClusterOptions.DEFAULT_SUBJECT_PREFIX,
                    ClusterOptions.DEFAULT_BUFFER_BYTES, null, sendLingerMillis), hub, vertx,
                    server.context());
            cluster.start();
            long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cluster.isConnected() && System.nanoTime() < connectDeadline) {
                Thread.sleep(20);
            }
            if (!cluster.isConnected()) {
                throw new IllegalStateException("BenchServer: NATS " + natsUrl + " did not answer within 30 s");
            }
        }
        System.out.println("pid=" + ProcessHandle.current().pid() + " port=" + server.actualPort()
                + " eventLoops=" + eventLoops + " transport=" + (vertx.isNativeTransportEnabled() ? "epoll" : "nio"));
        System.out.flush();
        Thread stdinWatcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // discard: only end of file matters
                }
            } catch (IOException ignored) {
                // treat as closed
            }
        }, "stdin-watcher");
        stdinWatcher.setDaemon(true);
        if (watchStdin) {
            stdinWatcher.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && (!watchStdin || stdinWatcher.isAlive())) {
            Thread.sleep(200);
            if (cluster != null && System.nanoTime() > nextReport) {
                // The scripts stop servers with a signal: what the link did is read from this line in the log.
                System.out.println("cluster " + cluster.metrics().snapshot());
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
        }
        System.out.println("stopping: " + hub.metrics().snapshot()
                + (cluster == null ? "" : " cluster " + cluster.metrics().snapshot()));
        if (cluster != null) {
            cluster.close();
        }
        server.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
