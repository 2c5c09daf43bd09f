package dev.skynetbridge.camel.rpc;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import dev.skynetbridge.protocol.rpc.BsonValues;
import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.RpcProtocolException;
import dev.skynetbridge.rpc.RpcAddressStatus;
import dev.skynetbridge.rpc.RpcClientPool;
import dev.skynetbridge.rpc.RpcConnectionException;
import dev.skynetbridge.rpc.RpcResponse;
import io.vertx.core.AsyncResult;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Calls a method of a skynet service. The body (a Map or JSON object) becomes the {@code in} document; the
 * {@code out} document becomes the reply body as a Map of plain values. An RPC-level {@code error} fails the exchange
 * with {@link SkynetRpcException}, a method {@code errstring} with {@link SkynetRpcMethodException}. The calls
 * themselves go through the Camel-free {@link RpcClientPool}.
 */
public class SkynetRpcProducer extends DefaultAsyncProducer {

    private final SkynetRpcEndpoint endpoint;
    private volatile RpcClientPool pool;

    public SkynetRpcProducer(SkynetRpcEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public SkynetRpcEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.getConfiguration().addressList().isEmpty()) {
            throw new IllegalArgumentException(endpoint.describe() + ": the producer needs address=host:port[,host:port]"
                    + " naming the service instances to call");
        }
        pool = new RpcClientPool(endpoint.getComponent().getVertx(), endpoint.describe(), endpoint.getServiceName(),
                endpoint.getConfiguration().toClientOptions(), endpoint.getStatistics());
        endpoint.getComponent().producerStarted(this);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().producerStopped(this);
        if (pool != null) {
            pool.close();
            pool = null;
        }
        super.doStop();
    }

    /**
     * Each service address in the order of the address option: connected, backing off until when, last problem.
     * Empty while the producer is stopped.
     */
    public List<RpcAddressStatus> getAddressStatuses() {
        RpcClientPool current = pool;
        return current == null ? List.of() : current.addressStatuses();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        String method;
        byte[] in;
        RequestInfo requestInfo;
        try {
            method = message.getHeader(SkynetRpcConstants.METHOD, endpoint.getMethodName(), String.class);
            if (method == null || method.isBlank()) {
                throw new IllegalArgumentException(endpoint.describe() + ": no method to call; use the path "
                        + endpoint.getServiceName() + ".Method or set header " + SkynetRpcConstants.METHOD);
            }
            try {
                in = SkynetRpcBodies.toBsonDocument(message);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(endpoint.describe() + ": " + e.getMessage(), e);
            }
            String requestId = message.getHeader(SkynetRpcConstants.REQUEST_ID, String.class);
            if (requestId == null || requestId.isBlank()) {
                requestId = UUID.randomUUID().toString();
                message.setHeader(SkynetRpcConstants.REQUEST_ID, requestId);
            }
            requestInfo = new RequestInfo(
                    message.getHeader(SkynetRpcConstants.ORIGIN_ADDRESS, "", String.class),
                    message.getHeader(SkynetRpcConstants.CONNECTION_ADDRESS, "", String.class),
                    requestId,
                    message.getHeader(SkynetRpcConstants.RETRY_COUNT, 0, Integer.class));
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        long timeout = endpoint.getConfiguration().getTimeout();
        RpcClientPool current = pool;
        if (current == null) {
            exchange.setException(new SkynetRpcConnectionException(endpoint.describe() + " is stopped"));
            callback.done(true);
            return true;
        }
        current.call(method, in, requestInfo, timeout)
                .onComplete(answer -> endpoint.getComponent().getVertx()
                        // Hand the exchange off the event loop: the rest of the route may block.
                        .executeBlocking(() -> {
                            try {
                                complete(exchange, method, timeout, answer);
                            } catch (RuntimeException e) {
                                exchange.setException(e);
                            } finally {
                                callback.done(false);
                            }
                            return null;
                        }, false));
        return false;
    }

    private void complete(Exchange exchange, String method, long timeout, AsyncResult<RpcResponse> answer) {
        if (answer.failed()) {
            Throwable cause = answer.cause();
            if (cause instanceof TimeoutException) {
                exchange.setException(new ExchangeTimedOutException(exchange, timeout, cause.getMessage()));
            } else if (cause instanceof RpcConnectionException connectionProblem) {
                exchange.setException(SkynetRpcConnectionException.of(connectionProblem));
            } else {
                exchange.setException(cause);
            }
            return;
        }
        RpcResponse result = answer.result();
        String address = result.address().toString();
        Message message = exchange.getMessage();
        message.setHeader(SkynetRpcConstants.SEQ, result.seq());
        message.setHeader(SkynetRpcConstants.CLIENT_ID, result.clientId());
        message.setHeader(SkynetRpcConstants.REMOTE_ADDRESS, address);
        message.setHeader(SkynetRpcConstants.SERVICE_METHOD, result.header().serviceMethod());
        if (result.header().isError()) {
            exchange.setException(new SkynetRpcException(address, method, result.header().error()));
            return;
        }
        Map<String, Object> out;
        try {
            out = result.body().out() == null ? Map.of() : BsonValues.toMap(result.body().out());
        } catch (RpcProtocolException e) {
            exchange.setException(new SkynetRpcConnectionException(endpoint.describe() + ": the out document of "
                    + method + " from " + address + " is not valid BSON: " + e.getMessage(), e));
            return;
        }
        if (result.body().isMethodError()) {
            exchange.setException(new SkynetRpcMethodException(address, method, result.body().errString(), out));
            return;
        }
        message.setBody(out);
    }
}
