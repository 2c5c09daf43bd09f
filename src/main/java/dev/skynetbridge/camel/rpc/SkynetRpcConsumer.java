package dev.skynetbridge.camel.rpc;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.rpc.RpcRequest;
import dev.skynetbridge.rpc.RpcServer;
import dev.skynetbridge.rpc.RpcServerOptions;
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
 * document. An exception in the route goes back as {@code errstring}. The protocol side is the Camel-free
 * {@link RpcServer}.
 */
public class SkynetRpcConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetRpcConsumer.class);

    private final SkynetRpcEndpoint endpoint;
    private RpcServer server;
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
        RpcServer current = server;
        return current == null ? 0 : current.connectionCount();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RpcServerOptions options = endpoint.getConfiguration().toServerOptions();
        if (options.methods().isEmpty() && endpoint.getMethodName() != null) {
            options = options.withMethods(Set.of(endpoint.getMethodName()));
        }
        RpcServer starting = new RpcServer(endpoint.getComponent().getVertx(), endpoint.describe(),
                endpoint.getServiceName(), options, endpoint.getStatistics(), this::process);
        try {
            actualPort = starting.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            starting.close();
            throw new IllegalStateException(endpoint.describe() + " cannot listen on " + options.host() + ":"
                    + options.port() + ": " + cause.getMessage()
                    + "; choose a free port (port=...) or stop what holds it", cause);
        }
        server = starting;
        LOG.info("{} serving skynet service '{}' on {}:{}{}", endpoint.describe(), endpoint.getServiceName(),
                options.host(), actualPort, options.methods().isEmpty() ? "" : " (methods " + options.methods() + ")");
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server = null;
            actualPort = -1;
        }
        super.doStop();
    }

    /** Runs the route for one call (on the RPC server's worker thread: the route may block), then replies. */
    private void process(RpcRequest request) {
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        fillMessage(exchange.getIn(), request);
        getAsyncProcessor().process(exchange, doneSync -> reply(request, exchange));
    }

    private static void fillMessage(Message message, RpcRequest request) {
        RequestInfo info = request.requestInfo();
        message.setBody(request.in());
        message.setHeader(SkynetRpcConstants.METHOD, request.method());
        message.setHeader(SkynetRpcConstants.SEQ, request.seq());
        message.setHeader(SkynetRpcConstants.SERVICE_METHOD, request.serviceMethod());
        message.setHeader(SkynetRpcConstants.CLIENT_ID, request.clientId());
        message.setHeader(SkynetRpcConstants.REQUEST_ID, info.requestId());
        message.setHeader(SkynetRpcConstants.ORIGIN_ADDRESS, request.originAddress());
        message.setHeader(SkynetRpcConstants.CONNECTION_ADDRESS, info.connectionAddress());
        message.setHeader(SkynetRpcConstants.RETRY_COUNT, info.retryCount());
        message.setHeader(SkynetRpcConstants.REMOTE_ADDRESS, request.remoteAddress());
    }

    private void reply(RpcRequest request, Exchange exchange) {
        try {
            Exception failure = exchange.getException();
            if (failure != null) {
                request.reply(RpcCodec.emptyDocument(), errString(failure));
                return;
            }
            byte[] out;
            try {
                out = SkynetRpcBodies.toBsonDocument(exchange.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{}: reply of {} (seq {}) cannot be sent: {}; the route must end with a Map or JSON object"
                        + " body", endpoint.describe(), request.method(), request.seq(), e.getMessage());
                request.reply(RpcCodec.emptyDocument(), "reply body cannot become BSON: " + e.getMessage());
                return;
            }
            request.reply(out, "");
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static String errString(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName() : message;
    }
}
