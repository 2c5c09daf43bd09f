package dev.skynetbridge.camel.rpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.skynetbridge.camel.rpc.SkynetRpcServerConnection.Request;
import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a skynet service on a TCP port: Go skynet clients connect and call methods; each call becomes an exchange
 * whose body is the {@code in} document as a Map, and whose resulting body is sent back as the {@code out}
 * document. An exception in the route goes back as {@code errstring}.
 */
public class SkynetRpcConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetRpcConsumer.class);

    private final SkynetRpcEndpoint endpoint;
    private final Set<SkynetRpcServerConnection> connections = ConcurrentHashMap.newKeySet();
    private Set<String> methods;
    private NetServer server;
    private volatile int actualPort = -1;

    public SkynetRpcConsumer(SkynetRpcEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    public SkynetRpcEndpoint getEndpoint() {
        return endpoint;
    }

    /** The port actually listened on (useful with port=0); -1 when not started. */
    public int getActualPort() {
        return actualPort;
    }

    /** Clients connected now. */
    public int getConnectionCount() {
        return connections.size();
    }

    String describe() {
        return endpoint.describe();
    }

    boolean servesMethod(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SkynetRpcConfiguration configuration = endpoint.getConfiguration();
        methods = configuration.methodSet();
        if (methods.isEmpty() && endpoint.getMethodName() != null) {
            methods = Set.of(endpoint.getMethodName());
        }
        Vertx vertx = endpoint.getComponent().getVertx();
        server = vertx.createNetServer(new NetServerOptions().setHost(configuration.getHost())
                .setPort(configuration.getPort()).setTcpNoDelay(true));
        server.connectHandler(this::onConnect);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            server.close();
            throw new IllegalStateException(describe() + " cannot listen on " + configuration.getHost() + ":"
                    + configuration.getPort() + ": " + cause.getMessage()
                    + "; choose a free port (port=...) or stop what holds it", cause);
        }
        actualPort = server.actualPort();
        LOG.info("{} serving skynet service '{}' on {}:{}{}", describe(), endpoint.getServiceName(),
                configuration.getHost(), actualPort, methods.isEmpty() ? "" : " (methods " + methods + ")");
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            connections.forEach(SkynetRpcServerConnection::close);
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server = null;
            actualPort = -1;
        }
        super.doStop();
    }

    private void onConnect(NetSocket socket) {
        SkynetRpcServerConnection connection = new SkynetRpcServerConnection(this, socket, Vertx.currentContext());
        int maxConnections = endpoint.getConfiguration().getMaxConnections();
        if (connections.size() >= maxConnections) {
            endpoint.getStatistics().connectionsRejectedLimit.incrementAndGet();
            LOG.warn("{}: refusing connection from {}: maxConnections={} clients are connected already; raise"
                    + " maxConnections if that many clients are expected", describe(), socket.remoteAddress(),
                    maxConnections);
            socket.close();
            return;
        }
        connections.add(connection);
        connection.start(endpoint.getConfiguration().isRegistered());
    }

    void connectionClosed(SkynetRpcServerConnection connection) {
        connections.remove(connection);
    }

    /** Runs the route for one call on a worker thread (the route may block), then replies. */
    void process(Request request) {
        Context context = Vertx.currentContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        fillMessage(exchange.getIn(), request);
        context.owner().executeBlocking(() -> {
            getAsyncProcessor().process(exchange, doneSync -> reply(request, exchange));
            return null;
        }, false);
    }

    private void fillMessage(Message message, Request request) {
        SkynetRpcServerConnection connection = request.connection();
        RequestInfo info = request.body().requestInfo() != null ? request.body().requestInfo()
                : SkynetRpcServerConnection.emptyRequestInfo();
        message.setBody(request.in());
        message.setHeader(SkynetRpcConstants.METHOD, request.body().method());
        message.setHeader(SkynetRpcConstants.SEQ, request.header().seq());
        message.setHeader(SkynetRpcConstants.SERVICE_METHOD, request.header().serviceMethod());
        message.setHeader(SkynetRpcConstants.CLIENT_ID, request.body().clientId().isEmpty() ? connection.clientId()
                : request.body().clientId());
        message.setHeader(SkynetRpcConstants.REQUEST_ID, info.requestId());
        // As the Go service does: an empty origin address means the caller itself is the origin.
        message.setHeader(SkynetRpcConstants.ORIGIN_ADDRESS, info.originAddress().isEmpty()
                ? connection.remoteAddress() : info.originAddress());
        message.setHeader(SkynetRpcConstants.CONNECTION_ADDRESS, info.connectionAddress());
        message.setHeader(SkynetRpcConstants.RETRY_COUNT, info.retryCount());
        message.setHeader(SkynetRpcConstants.REMOTE_ADDRESS, connection.remoteAddress());
    }

    private void reply(Request request, Exchange exchange) {
        try {
            Exception failure = exchange.getException();
            if (failure != null) {
                request.connection().reply(request, RpcCodec.emptyDocument(), errString(failure));
                return;
            }
            byte[] out;
            try {
                out = SkynetRpcBodies.toBsonDocument(exchange.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{}: reply of {} (seq {}) cannot be sent: {}; the route must end with a Map or JSON object"
                        + " body", describe(), request.body().method(), request.header().seq(), e.getMessage());
                request.connection().reply(request, RpcCodec.emptyDocument(), "reply body cannot become BSON: "
                        + e.getMessage());
                return;
            }
            request.connection().reply(request, out, "");
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static String errString(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName() : message;
    }
}
