package dev.skynetbridge.rpc;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skynetbridge.protocol.rpc.BsonFrameReader;
import dev.skynetbridge.protocol.rpc.BsonValues;
import dev.skynetbridge.protocol.rpc.ClientHandshake;
import dev.skynetbridge.protocol.rpc.RequestHeader;
import dev.skynetbridge.protocol.rpc.ResponseHeader;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.protocol.rpc.RpcProtocolException;
import dev.skynetbridge.protocol.rpc.ServiceHandshake;
import dev.skynetbridge.protocol.rpc.ServiceRpcIn;
import dev.skynetbridge.protocol.rpc.ServiceRpcOut;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller connected to an {@link RpcServer}: sends the service handshake, reads the client handshake, then turns
 * each request pair into an {@link RpcRequest} for the handler and writes the response pair with the same seq.
 * Calls run concurrently, so responses may leave in another order than the requests came.
 *
 * <p>Bound: at most maxInFlight calls per connection are in the handler. At that point reading pauses (TCP pushes
 * back on the caller); documents already received in the same network read wait in a backlog, which only holds
 * what one read delivered, and go to the handler as calls complete. Reading resumes once the backlog is empty and a
 * call slot is free.
 */
final class RpcCallerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RpcCallerConnection.class);

    private enum ReadState { AWAIT_CLIENT_HANDSHAKE, AWAIT_REQUEST_HEADER, AWAIT_REQUEST_BODY }

    private final RpcServer server;
    private final NetSocket socket;
    private final Context context;
    private final String remoteAddress;
    private final String clientId = UUID.randomUUID().toString();
    private final BsonFrameReader frameReader;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final RpcStatistics statistics;
    private ReadState readState = ReadState.AWAIT_CLIENT_HANDSHAKE;
    private RequestHeader headerAwaitingBody;
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private boolean paused;
    private volatile boolean closed;

    RpcCallerConnection(RpcServer server, NetSocket socket, Context context) {
        this.server = server;
        this.socket = socket;
        this.context = context;
        this.remoteAddress = String.valueOf(socket.remoteAddress());
        this.frameReader = new BsonFrameReader(server.options().maxDocumentSize());
        this.maxInFlight = server.options().maxInFlight();
        this.statistics = server.statistics();
    }

    String remoteAddress() {
        return remoteAddress;
    }

    String clientId() {
        return clientId;
    }

    void start(boolean registered) {
        socket.handler(this::onData);
        socket.exceptionHandler(e -> LOG.debug("{}: socket error from {}: {}", server.name(), remoteAddress,
                e.toString()));
        socket.closeHandler(ignored -> {
            closed = true;
            server.connectionClosed(this);
        });
        byte[] handshake = RpcCodec.encode(new ServiceHandshake(server.serviceName(), registered,
                clientId));
        if (registered) {
            socket.write(Buffer.buffer(handshake));
        } else {
            // An unregistered Go service announces itself that way and hangs up.
            socket.write(Buffer.buffer(handshake)).onComplete(ignored -> socket.close());
        }
    }

    void close() {
        closed = true;
        socket.close();
    }

    // ---- event loop ---------------------------------------------------------------------------------------------

    private void onData(Buffer data) {
        if (closed) {
            return;
        }
        try {
            List<byte[]> documents = frameReader.feed(data.getBytes());
            backlog.addAll(documents);
            runBacklog();
        } catch (RpcProtocolException e) {
            dropMalformed(e);
        }
    }

    private void dropMalformed(RpcProtocolException e) {
        statistics.connectionsDroppedMalformed.incrementAndGet();
        LOG.warn("{}: dropping connection from {}: {}; the caller must speak skynet RPC (BSON documents)",
                server.name(), remoteAddress, e.getMessage());
        close();
    }

    /** Takes documents from the backlog while a call slot is free; pauses reading when none is. */
    private void runBacklog() {
        while (!closed && !backlog.isEmpty()) {
            if (inFlight.get() >= maxInFlight) {
                pauseReading();
                return;
            }
            onDocument(backlog.poll());
        }
        if (!closed && inFlight.get() >= maxInFlight) {
            pauseReading();
        }
    }

    private void pauseReading() {
        if (!paused) {
            paused = true;
            statistics.readPausesInFlightFull.incrementAndGet();
            socket.pause();
        }
    }

    private void onDocument(byte[] document) {
        if (closed) {
            return;
        }
        switch (readState) {
            case AWAIT_CLIENT_HANDSHAKE -> {
                ClientHandshake handshake = RpcCodec.decodeClientHandshake(document);
                if (handshake.clientId() != null && !handshake.clientId().equals(clientId)) {
                    LOG.debug("{}: client {} echoed clientid {} instead of {}", server.name(), remoteAddress,
                            handshake.clientId(), clientId);
                }
                readState = ReadState.AWAIT_REQUEST_HEADER;
            }
            case AWAIT_REQUEST_HEADER -> {
                headerAwaitingBody = RpcCodec.decodeRequestHeader(document);
                readState = ReadState.AWAIT_REQUEST_BODY;
            }
            case AWAIT_REQUEST_BODY -> {
                RequestHeader header = headerAwaitingBody;
                headerAwaitingBody = null;
                readState = ReadState.AWAIT_REQUEST_HEADER;
                onRequest(header, RpcCodec.decodeServiceRpcIn(document));
            }
        }
    }

    private void onRequest(RequestHeader header, ServiceRpcIn body) {
        String expectedServiceMethod = RequestHeader.forwardMethodOf(server.serviceName());
        if (!expectedServiceMethod.equals(header.serviceMethod())) {
            writeRpcError(header, "rpc: can't find service " + header.serviceMethod());
            return;
        }
        if (!server.options().serves(body.method())) {
            writeRpcError(header, "No such method " + goQuote(body.method()));
            return;
        }
        Map<String, Object> in;
        try {
            in = body.in() == null ? Map.of() : BsonValues.toMap(body.in());
        } catch (RpcProtocolException e) {
            // The Go service fails the same way when bson.Unmarshal of "in" fails: an RPC-level error.
            writeRpcError(header, "in is not a BSON document: " + e.getMessage());
            return;
        }
        statistics.consumerInFlightHighWater.accumulateAndGet(inFlight.incrementAndGet(),
                Math::max);
        server.dispatch(new RpcRequest(this, header, body, in));
    }

    RpcStatistics statistics() {
        return statistics;
    }

    /** Writes the response pair of a call in one write; may be called from any thread. */
    void reply(RpcRequest request, byte[] out, String errString) {
        ResponseHeader header = new ResponseHeader(request.serviceMethod(), request.seq(), "");
        write(header, new ServiceRpcOut(out, errString == null ? "" : errString));
        if (inFlight.decrementAndGet() < maxInFlight) {
            context.runOnContext(ignored -> resumeReading());
        }
    }

    private void resumeReading() {
        if (closed) {
            return;
        }
        try {
            runBacklog();
        } catch (RpcProtocolException e) {
            dropMalformed(e);
            return;
        }
        if (paused && backlog.isEmpty() && inFlight.get() < maxInFlight) {
            paused = false;
            socket.resume();
        }
    }

    private void writeRpcError(RequestHeader request, String error) {
        write(new ResponseHeader(request.serviceMethod(), request.seq(), error), ServiceRpcOut.EMPTY);
    }

    private void write(ResponseHeader header, ServiceRpcOut body) {
        if (closed) {
            statistics.repliesDropped.incrementAndGet();
            LOG.debug("{}: client {} left before the response to seq {}", server.name(), remoteAddress,
                    header.seq());
            return;
        }
        byte[] headerBytes = RpcCodec.encode(header);
        byte[] bodyBytes = RpcCodec.encode(body);
        socket.write(Buffer.buffer(headerBytes.length + bodyBytes.length).appendBytes(headerBytes)
                .appendBytes(bodyBytes)).onFailure(e -> {
                    statistics.repliesDropped.incrementAndGet();
                    LOG.debug("{}: response to seq {} for {} not sent: {}", server.name(), header.seq(),
                            remoteAddress, e.toString());
                });
    }

    /** Quotes like Go's %q for the names a client may send (quotes, backslashes and control characters escaped). */
    static String goQuote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
