package dev.skynetbridge.rpc;

import dev.skynetbridge.protocol.rpc.RpcCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one skynet service on a TCP port, as a Go skynet service does: Go skynet clients connect, handshake and
 * call methods; each call goes to the {@link RpcRequestHandler} on a worker thread, and its reply goes back with
 * the call's seq. At most maxConnections callers at once (more are closed at once, counted and logged) and at most
 * maxInFlight calls of one caller in the handler (see {@link RpcCallerConnection}).
 */
public final class RpcServer {

    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    private final Vertx vertx;
    private final String name;
    private final String serviceName;
    private final RpcServerOptions options;
    private final RpcStatistics statistics;
    private final RpcRequestHandler handler;
    private final Set<RpcCallerConnection> connections = ConcurrentHashMap.newKeySet();
    private NetServer netServer;

    /**
     * @param name        for log lines (the endpoint as the user wrote it)
     * @param serviceName the name announced in the service handshake; calls must address {@code <name>.Forward}
     */
    public RpcServer(Vertx vertx, String name, String serviceName, RpcServerOptions options, RpcStatistics statistics,
                     RpcRequestHandler handler) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.name = Objects.requireNonNull(name, "name");
        this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
        this.options = Objects.requireNonNull(options, "options");
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Starts listening; the future yields the port actually bound (useful with port 0). */
    public synchronized Future<Integer> listen() {
        if (netServer != null) {
            throw new IllegalStateException(name + " is listening already");
        }
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(options.host())
                .setPort(options.port()).setTcpNoDelay(true));
        server.connectHandler(this::onConnect);
        netServer = server;
        return server.listen().map(NetServer::actualPort).onFailure(failure -> {
            synchronized (this) {
                netServer = null;
            }
            server.close();
        });
    }

    /** Closes every caller's connection and stops listening. */
    public synchronized Future<Void> close() {
        NetServer server = netServer;
        netServer = null;
        if (server == null) {
            return Future.succeededFuture();
        }
        connections.forEach(RpcCallerConnection::close);
        return server.close();
    }

    /** Callers connected now. */
    public int connectionCount() {
        return connections.size();
    }

    private void onConnect(NetSocket socket) {
        if (connections.size() >= options.maxConnections()) {
            statistics.connectionsRejectedLimit.incrementAndGet();
            LOG.warn("{}: refusing connection from {}: maxConnections={} clients are connected already; raise"
                     + " maxConnections if that many clients are expected", name, socket.remoteAddress(),
                    options.maxConnections());
            socket.close();
            return;
        }
        RpcCallerConnection connection = new RpcCallerConnection(this, socket, Vertx.currentContext());
        connections.add(connection);
        connection.start(options.registered());
    }

    /** Runs the handler for one call on a worker thread (it may block). */
    void dispatch(RpcRequest request) {
        vertx.executeBlocking(() -> {
            handler.handle(request);
            return null;
        }, false).onFailure(failure -> {
            LOG.warn("{}: the handler of {} (seq {}) failed: {}", name, request.method(), request.seq(),
                    failure.toString());
            request.reply(RpcCodec.emptyDocument(), "internal error: " + failure); // ignored if it replied already
        });
    }

    void connectionClosed(RpcCallerConnection connection) {
        connections.remove(connection);
    }

    String name() {
        return name;
    }

    String serviceName() {
        return serviceName;
    }

    RpcServerOptions options() {
        return options;
    }

    RpcStatistics statistics() {
        return statistics;
    }
}
