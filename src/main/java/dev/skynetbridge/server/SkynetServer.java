package dev.skynetbridge.server;

import dev.skynetbridge.support.RateLimitedWarning;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Skynet server: v2 (CBOR) on {@code /connect}, {@code /connect/} and
 * {@code /connect/<anything>}; v1 (JSON) on {@code /v1/connect[/<anything>]}, and on
 * {@code /connect} when a client's first frame is a JSON text object. Both share one
 * {@link SkynetHub}. With an access file, {@code <anything>} is the client's token
 * ({@code <name>:<secret>}; see {@link ConnectionGate}), and the file's rules limit what each
 * connection may open and send.
 */
public final class SkynetServer {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetServer.class);

    static final String V2_PATH = ConnectionPaths.V2_PATH;
    static final String V1_PATH = ConnectionPaths.V1_PATH;
    /** Upper bound on frames merged into one flush when a connection drains a long queue. */
    private static final int FLUSHES_PER_SYSCALL = 64;
    /** Long enough for a client's close frame to come back over the internet; Vert.x's default is 10 s. */
    private static final int CLOSING_TIMEOUT_SECONDS = 2;

    private final Vertx vertx;
    private final ServerOptions options;
    private final SkynetHub hub;
    private final ComputerCraftFiles computerCraftFiles = ComputerCraftFiles.load();
    private HttpServer httpServer;
    /** The event loop context the server listens on: Vert.x handles all of its connections there. */
    private volatile Context listenContext;
    private AccessControl accessControl;
    private ConnectionGate gate;
    private ServerSide side;
    private final java.util.concurrent.atomic.AtomicBoolean flushConsolidationMissingReported =
            new java.util.concurrent.atomic.AtomicBoolean();

    public SkynetServer(Vertx vertx, ServerOptions options, SkynetHub hub) {
        this.vertx = vertx;
        this.options = options;
        this.hub = hub;
    }

    public SkynetHub hub() {
        return hub;
    }

    public ServerOptions options() {
        return options;
    }

    /**
     * Reads the access file (a problem stops start-up with {@code file:line: problem}), binds the
     * port; blocks until listening, or throws naming the address and what to do.
     */
    public void start() {
        options.validated();
        accessControl = new AccessControl(options.accessFile(), options.accessFileCheckMillis(), hub.metrics().access());
        side = new ServerSide(hub, options, accessControl,
                new RateLimitedWarning(LoggerFactory.getLogger(AccessControl.class), 10, TimeUnit.SECONDS));
        gate = new ConnectionGate(vertx, side);
        HttpServerOptions http = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setMaxWebSocketFrameSize(options.maxFrameSize())
                .setMaxWebSocketMessageSize(options.maxFrameSize())
                .setTcpNoDelay(true)
                // After the server sends a close frame it waits this long for the client's before closing TCP. After
                // an oversize frame Netty's decoder discards all input, the client's close too, so this is the wait.
                .setWebSocketClosingTimeout(CLOSING_TIMEOUT_SECONDS)
                .setReuseAddress(true);
        if (options.tlsEnabled()) {
            http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(options.tlsCertPath())
                    .setKeyPath(options.tlsKeyPath()));
        }
        HttpServer server = vertx.createHttpServer(http)
                .webSocketHandler(this::accept)
                .requestHandler(request -> {
                    if (!computerCraftFiles.handle(request)) {
                        request.response().setStatusCode(404).putHeader("content-type", "text/plain")
                                .end("Skynet server: connect a websocket to " + V2_PATH + " (v2, CBOR) or " + V1_PATH
                                     + " (v1, JSON); a ComputerCraft computer installs a client with: wget run"
                                     + " http://<this address>" + ComputerCraftFiles.INSTALL_PATH + "\n");
                    }
                });
        try {
            // Listened on a context of our own making (not one Vert.x picks inside listen) so that others can share
            // its event loop: the cluster link's NATS connection does, so a hop between them wakes no thread.
            Context context = ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
            io.vertx.core.Promise<HttpServer> listening = io.vertx.core.Promise.promise();
            context.runOnContext(ignored -> server.listen().onComplete(listening));
            httpServer = listening.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            listenContext = context;
        } catch (Exception e) {
            closeAccessControl();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Skynet server could not listen on " + options.host() + ":" + options.port()
                    + " (" + cause.getMessage() + "): set skynet.server.port (env SKYNET_SERVER_PORT) to a free port",
                    cause);
        }
        accessControl.start();
        LOG.info("Skynet server listening on {}://{}:{}{} (v2 CBOR) and {} (v1 JSON)",
                options.tlsEnabled() ? "wss" : "ws", options.host(), httpServer.actualPort(), V2_PATH, V1_PATH);
    }

    /** The event loop context of the server's connections (null before {@link #start()}). */
    public Context context() {
        return listenContext;
    }

    /** Frames waiting in the fullest send queue of the open connections (read on demand, e.g. by a metrics scrape). */
    public int largestSendQueue() {
        AccessControl current = accessControl;
        return current == null ? 0 : current.largestSendQueue();
    }

    /**
     * Re-reads the access file now (as a change of the file or SIGHUP does): true if the new
     * rules are in force, false if there is no file or it has a problem (logged; the old rules stay).
     */
    public boolean reloadAccessFile() {
        return accessControl != null && accessControl.reload();
    }

    private void closeAccessControl() {
        if (gate != null) {
            gate.close();
            gate = null;
        }
        if (accessControl != null) {
            accessControl.close();
        }
    }

    public int actualPort() {
        return httpServer == null ? -1 : httpServer.actualPort();
    }

    public void stop() {
        closeAccessControl();
        if (httpServer != null) {
            try {
                httpServer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Skynet server did not close cleanly: {}", e.toString());
            }
            httpServer = null;
        }
    }

    /**
     * Vert.x flushes every frame written outside a read, so each push a connection drains costs
     * one write system call. Netty's FlushConsolidationHandler, first in the pipeline, merges the
     * flushes of one event-loop turn (or of {@value #FLUSHES_PER_SYSCALL} frames) into one;
     * measured in BENCHMARKS.md. Frames still leave in order, and a flush always follows within
     * the same event-loop turn, so no push waits for a later message.
     */
    private void consolidateFlushes(ServerWebSocket socket) {
        // WebSocketInternal is Vert.x's internal API (there is no public hook into the pipeline): if an upgrade
        // changes it, the server still works, only slower, so say so once rather than fail.
        if (socket instanceof WebSocketInternal internal) {
            internal.channelHandlerContext().pipeline()
                    .addFirst("skynet-flush-consolidation", new FlushConsolidationHandler(FLUSHES_PER_SYSCALL, true));
            hub.metrics().flushConsolidatedConnections.increment();
        } else if (flushConsolidationMissingReported.compareAndSet(false, true)) {
            LOG.warn("Skynet server: this Vert.x version's websockets ({}) offer no pipeline access, so flushes are"
                     + " not merged: every push costs a write system call (fan-out is several times slower, see"
                     + " BENCHMARKS.md)", socket.getClass().getName());
        }
    }

    private void accept(ServerWebSocket socket) {
        String path = socket.path();
        ClientConnection.Protocol protocol = ConnectionPaths.protocolOf(path);
        if (protocol == null) {
            LOG.info("Skynet client {} refused: no websocket at {} (clients connect to {}/ or {})",
                    socket.remoteAddress(), ConnectionPaths.forLog(path), V2_PATH, V1_PATH);
            socket.reject(404);
            return;
        }
        Context context = vertx.getOrCreateContext();
        gate.admit(socket, context, (access, slot) -> {
            // One line per admitted client, never with its token (the gate logs refusals), so "never arrived",
            // "arrived and was refused" and "connected" can be told apart.
            LOG.info("New Skynet client {} on {}", socket.remoteAddress(), ConnectionPaths.forLog(path));
            ClientConnection connection = new ClientConnection(socket, context, side, protocol, access, slot::release);
            consolidateFlushes(socket);
            guardOversizeFrames(socket, connection);
            connection.start();
        });
    }

    /** See {@link OversizeFrameGuard}: the replies owed before an oversize frame, then 1009. */
    private static void guardOversizeFrames(ServerWebSocket socket, ClientConnection connection) {
        if (socket instanceof WebSocketInternal internal) {
            ChannelHandlerContext vertxHandler = internal.channelHandlerContext();
            vertxHandler.pipeline().addBefore(vertxHandler.name(), OversizeFrameGuard.NAME,
                    new OversizeFrameGuard(connection::oversizeFrame));
        }
    }
}
