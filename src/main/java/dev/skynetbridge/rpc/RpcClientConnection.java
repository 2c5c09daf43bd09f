package dev.skynetbridge.rpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.skynetbridge.protocol.rpc.BsonFrameReader;
import dev.skynetbridge.protocol.rpc.ClientHandshake;
import dev.skynetbridge.protocol.rpc.RequestHeader;
import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.ResponseHeader;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.protocol.rpc.RpcProtocolException;
import dev.skynetbridge.protocol.rpc.ServiceHandshake;
import dev.skynetbridge.protocol.rpc.ServiceRpcIn;
import dev.skynetbridge.protocol.rpc.ServiceRpcOut;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to a skynet service: handshake, then many calls multiplexed by {@code seq}. Responses may
 * arrive in any order; each completes the pending call with the same seq.
 *
 * <p>Threads: socket events run on the connection's Vert.x event loop, which alone touches the read state;
 * {@link #call} may run on any thread, so pending calls live in a concurrent map bounded by maxInFlight.
 */
final class RpcClientConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RpcClientConnection.class);

    private static final class PendingCall {
        final long seq;
        final String method;
        final Promise<RpcResponse> promise = Promise.promise();
        volatile long timerId = -1;

        PendingCall(long seq, String method) {
            this.seq = seq;
            this.method = method;
        }
    }

    private enum ReadState { AWAIT_SERVICE_HANDSHAKE, AWAIT_RESPONSE_HEADER, AWAIT_RESPONSE_BODY }

    private final Vertx vertx;
    private final String name;
    private final RpcAddress address;
    private final String expectedServiceName;
    private final RpcClientOptions options;
    private final RpcStatistics statistics;
    private final BsonFrameReader frameReader;
    private final Promise<RpcClientConnection> ready = Promise.promise();
    private final Promise<String> closure = Promise.promise();
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong nextSeq = new AtomicLong();

    private NetSocket socket;
    private volatile boolean closed;
    private volatile boolean closedByPool;
    private volatile boolean retiring;
    private volatile String closeReason = "closed by the service";
    private volatile String clientId = "";
    private volatile String serviceMethod;
    private ReadState readState = ReadState.AWAIT_SERVICE_HANDSHAKE;
    private ResponseHeader headerAwaitingBody;

    private RpcClientConnection(Vertx vertx, String name, RpcAddress address, String serviceName,
                                      RpcClientOptions options, RpcStatistics statistics) {
        this.vertx = vertx;
        this.name = name;
        this.address = address;
        this.expectedServiceName = serviceName;
        this.options = options;
        this.statistics = statistics;
        this.frameReader = new BsonFrameReader(options.maxDocumentSize());
        this.serviceMethod = RequestHeader.forwardMethodOf(serviceName);
    }

    /**
     * Connects, reads the service handshake and answers it. The future fails with a
     * {@link RpcConnectionException} if the TCP connection fails, the service says registered=false or
     * reports another name, or no handshake arrives within connectTimeout.
     */
    static Future<RpcClientConnection> open(Vertx vertx, NetClient client, String name,
                                                  RpcAddress address, String serviceName,
                                                  RpcClientOptions options,
                                                  RpcStatistics statistics) {
        RpcClientConnection connection = new RpcClientConnection(vertx, name, address, serviceName,
                options, statistics);
        long handshakeTimer = vertx.setTimer(options.connectTimeoutMillis(), id -> connection.failHandshake(
                "no service handshake within connectTimeout=" + options.connectTimeoutMillis() + " ms"));
        // Connect from an event-loop context: the socket's handler is then set on that loop before it reads, so the
        // service handshake (sent at once on accept) cannot arrive while no handler is set and be dropped.
        vertx.getOrCreateContext().runOnContext(ignored -> client.connect(address.port(), address.host())
                .onComplete(result -> {
                    if (result.failed()) {
                        vertx.cancelTimer(handshakeTimer);
                        connection.ready.tryFail(new RpcConnectionException("cannot connect to " + address
                                + ": " + result.cause().getMessage(), result.cause()));
                        return;
                    }
                    connection.attach(result.result());
                }));
        return connection.ready.future().onComplete(done -> vertx.cancelTimer(handshakeTimer));
    }

    private void attach(NetSocket netSocket) {
        this.socket = netSocket;
        netSocket.handler(this::onData);
        netSocket.exceptionHandler(e -> LOG.debug("{}: socket error on connection to {}: {}", name, address,
                e.toString()));
        netSocket.closeHandler(ignored -> onClosed());
        if (ready.future().isComplete()) {
            netSocket.close(); // the handshake timer fired while connecting
        }
    }

    RpcAddress address() {
        return address;
    }

    String clientId() {
        return clientId;
    }

    boolean isUsable() {
        return !closed && !retiring && ready.future().succeeded();
    }

    /**
     * Completes when the connection has closed: with the problem if the service closed it or sent garbage, with null
     * if the pool closed it.
     */
    Future<String> closed() {
        return closure.future();
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * Sends one call; header and body go out in a single write because Go's decoder reads each length prefix with
     * one read. The future completes with the response, or fails with {@link TimeoutException},
     * {@link RpcConnectionException} (connection lost) or {@link RejectedExecutionException} (maxInFlight).
     */
    Future<RpcResponse> call(String method, byte[] inDocument, RequestInfo requestInfo, long timeoutMillis) {
        if (closed) {
            return Future.failedFuture(new RpcCallNotSentException(describeClosed()));
        }
        if (inFlight.incrementAndGet() > options.maxInFlight()) {
            inFlight.decrementAndGet();
            statistics.callsRejectedInFlightFull.incrementAndGet();
            return Future.failedFuture(new RejectedExecutionException(name + ": " + options.maxInFlight()
                    + " calls already in flight on the connection to " + address
                    + "; raise maxInFlight or poolSize, or slow down the callers"));
        }
        long seq = nextSeq.getAndIncrement();
        PendingCall call = new PendingCall(seq, method);
        pending.put(seq, call);
        if (closed) { // closed between the first check and put(): onClosed() may have missed this call
            failPending(seq, new RpcCallNotSentException(describeClosed()));
            return call.promise.future();
        }
        call.timerId = vertx.setTimer(timeoutMillis, id -> {
            statistics.callsTimedOut.incrementAndGet(); // before the caller sees the failure
            if (!failPending(seq, new TimeoutException(name + ": no response to " + method + " (seq " + seq
                    + ") from " + address + " within timeout=" + timeoutMillis + " ms"))) {
                statistics.callsTimedOut.decrementAndGet(); // answered just before the timer fired
            }
        });
        byte[] header = RpcCodec.encode(new RequestHeader(serviceMethod, seq));
        byte[] body = RpcCodec.encode(new ServiceRpcIn(clientId, method, requestInfo, inDocument));
        Buffer pair = Buffer.buffer(header.length + body.length).appendBytes(header).appendBytes(body);
        socket.write(pair).onFailure(e -> failPending(seq, new RpcConnectionException(name
                + ": could not send " + method + " to " + address + ": " + e.getMessage(), e)));
        return call.promise.future();
    }

    /** Closes on behalf of the pool (pool closed, connection replaced): not a problem of the service. */
    void closeByPool(String reason) {
        closedByPool = true;
        close(reason);
    }

    /**
     * Takes the connection out of use and closes it once its calls in flight have completed, so replacing it by a
     * connection to a preferred address loses no call.
     */
    void retireWhenIdle(String reason) {
        closedByPool = true;
        closeReason = reason;
        retiring = true;
        closeIfRetiredAndIdle();
    }

    private void closeIfRetiredAndIdle() {
        if (retiring && !closed && inFlight.get() == 0) {
            close(closeReason);
        }
    }

    void close(String reason) {
        closeReason = reason;
        closed = true;
        if (socket != null) {
            socket.close();
        } else {
            failAllPending();
        }
    }

    // ---- event loop ---------------------------------------------------------------------------------------------

    private void onData(Buffer data) {
        if (closed) {
            return;
        }
        List<byte[]> documents;
        try {
            documents = frameReader.feed(data.getBytes());
        } catch (RpcProtocolException e) {
            dropMalformed(e);
            return;
        }
        for (byte[] document : documents) {
            try {
                onDocument(document);
            } catch (RpcProtocolException e) {
                dropMalformed(e);
                return;
            }
            if (closed) {
                return;
            }
        }
    }

    private void onDocument(byte[] document) {
        switch (readState) {
            case AWAIT_SERVICE_HANDSHAKE -> onServiceHandshake(RpcCodec.decodeServiceHandshake(document));
            case AWAIT_RESPONSE_HEADER -> {
                headerAwaitingBody = RpcCodec.decodeResponseHeader(document);
                readState = ReadState.AWAIT_RESPONSE_BODY;
            }
            case AWAIT_RESPONSE_BODY -> {
                ServiceRpcOut body = RpcCodec.decodeServiceRpcOut(document);
                ResponseHeader header = headerAwaitingBody;
                headerAwaitingBody = null;
                readState = ReadState.AWAIT_RESPONSE_HEADER;
                completePending(header, body);
            }
        }
    }

    private void onServiceHandshake(ServiceHandshake handshake) {
        if (!handshake.registered()) {
            statistics.handshakesRefused.incrementAndGet();
            failHandshake("the service answered registered=false (it will not serve requests)");
            return;
        }
        if (handshake.hasName() && !handshake.name().equals(expectedServiceName)) {
            statistics.handshakesRefused.incrementAndGet();
            failHandshake("the service there is named '" + handshake.name() + "', not '" + expectedServiceName + "'");
            return;
        }
        clientId = handshake.clientId();
        if (handshake.hasName()) {
            serviceMethod = RequestHeader.forwardMethodOf(handshake.name());
        }
        // Answer in the form the service spoke: the 2012 service expects {} and the 2013 one the echoed clientid.
        ClientHandshake answer = handshake.hasName() ? new ClientHandshake(clientId) : ClientHandshake.EMPTY_2012;
        socket.write(Buffer.buffer(RpcCodec.encode(answer)));
        readState = ReadState.AWAIT_RESPONSE_HEADER;
        LOG.debug("{}: connected to {} (clientid {})", name, address, clientId);
        ready.tryComplete(this);
    }

    private void failHandshake(String reason) {
        if (ready.tryFail(new RpcConnectionException(address + " refused: " + reason))) {
            close(reason);
        }
    }

    private void completePending(ResponseHeader header, ServiceRpcOut body) {
        PendingCall call = pending.remove(header.seq());
        if (call == null) {
            statistics.unmatchedResponses.incrementAndGet();
            LOG.debug("{}: response seq {} from {} matches no pending call (timed out?); ignored", name,
                    header.seq(), address);
            return;
        }
        inFlight.decrementAndGet();
        vertx.cancelTimer(call.timerId);
        call.promise.tryComplete(new RpcResponse(address, clientId, header, body));
        closeIfRetiredAndIdle();
    }

    private boolean failPending(long seq, Throwable cause) {
        PendingCall call = pending.remove(seq);
        if (call == null) {
            return false;
        }
        inFlight.decrementAndGet();
        if (call.timerId >= 0) {
            vertx.cancelTimer(call.timerId);
        }
        boolean failed = call.promise.tryFail(cause);
        closeIfRetiredAndIdle();
        return failed;
    }

    private void dropMalformed(RpcProtocolException e) {
        statistics.connectionsDroppedMalformed.incrementAndGet();
        String reason = "malformed data from the service: " + e.getMessage();
        LOG.warn("{}: dropping connection to {}: {}", name, address, reason);
        ready.tryFail(new RpcConnectionException(address + " refused: " + reason, e));
        close(reason);
    }

    private void onClosed() {
        closed = true;
        ready.tryFail(new RpcConnectionException(address + " closed the connection before its handshake"));
        // The pool learns of the loss (and may put the address in backoff) before the calls in flight fail, so the
        // caller's next call already sees the address's new state.
        closure.tryComplete(closedByPool ? null : "connection to " + address + " " + closeReason);
        failAllPending();
    }

    private void failAllPending() {
        for (Long seq : List.copyOf(pending.keySet())) {
            PendingCall call = pending.get(seq);
            if (call == null) {
                continue;
            }
            // Counted before the caller's future fails, so whoever sees the failure sees the count too.
            statistics.callsFailedConnectionClosed.incrementAndGet();
            if (!failPending(seq, new RpcConnectionException(name + ": call " + call.method + " (seq " + seq
                    + ") lost: connection to " + address + " " + closeReason + " while the call was in flight"))) {
                statistics.callsFailedConnectionClosed.decrementAndGet(); // answered or timed out meanwhile
            }
        }
    }

    private String describeClosed() {
        return name + ": connection to " + address + " is closed (" + closeReason + ")";
    }
}
