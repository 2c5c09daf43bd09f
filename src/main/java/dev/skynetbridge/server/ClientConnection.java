package dev.skynetbridge.server;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v1.V1Codec;
import dev.skynetbridge.protocol.v1.V1Request;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2Request;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One websocket client of the embedded server. Reads requests on its event loop; receives
 * deliveries from any thread into a bounded queue that is drained on its event loop, so a slow
 * reader costs at most {@code sendQueueLimit} messages of memory and never slows the others.
 */
final class ClientConnection implements SkynetHub.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    /** Websocket close code "policy violation": used when a slow client is dropped. */
    static final short CLOSE_TOO_SLOW = 1008;
    static final short CLOSE_TOO_BIG = 1009;

    enum Protocol { UNDECIDED, V2, V1 }

    private final ServerWebSocket socket;
    private final Context context;
    private final SkynetHub.Member member;
    private final HubMetrics metrics;
    private final V1Log v1Log;
    private final int queueLimit;
    private final OverflowPolicy overflowPolicy;
    private final String remote;

    private volatile Protocol protocol;
    /** Guarded by itself. Elements are Delivery (a push) or Buffer/String (a reply to this client). */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;

    ClientConnection(ServerWebSocket socket, Context context, SkynetHub hub, ServerOptions options, Protocol protocol) {
        this.socket = socket;
        this.context = context;
        this.member = hub.join(this);
        this.metrics = hub.metrics();
        this.v1Log = hub.log();
        this.queueLimit = options.sendQueueLimit();
        this.overflowPolicy = options.overflowPolicy();
        this.protocol = protocol;
        this.remote = String.valueOf(socket.remoteAddress());
    }

    void start() {
        metrics.connectionsOpened.increment();
        socket.binaryMessageHandler(this::onBinary);
        socket.textMessageHandler(this::onText);
        socket.exceptionHandler(this::onError);
        socket.closeHandler(v -> onClosed());
    }

    // ------------------------------------------------------------------ inbound

    private void onBinary(Buffer frame) {
        if (protocol == Protocol.V1) {
            reply(V1Codec.encodeError("v1 expects JSON text frames"));
            return;
        }
        protocol = Protocol.V2;
        handleV2(frame.getBytes());
    }

    private void onText(String frame) {
        if (protocol == Protocol.UNDECIDED) {
            // A v2 request is a CBOR array and can never start with '{': such a first frame is v1 JSON.
            protocol = frame.stripLeading().startsWith("{") ? Protocol.V1 : Protocol.V2;
        }
        if (protocol == Protocol.V1) {
            handleV1(frame);
        } else {
            // Old Lua clients sent CBOR inside text frames: read the raw bytes.
            handleV2(Buffer.buffer(frame).getBytes());
        }
    }

    private void handleV2(byte[] frame) {
        V2Request request;
        try {
            request = V2Codec.decodeRequest(frame);
        } catch (ProtocolException e) {
            protocolError(e.getMessage());
            reply(Buffer.buffer(V2Codec.encodeError(e.getMessage())));
            return;
        }
        if (request instanceof V2Request.Open open) {
            member.open(open.channel());
        } else if (request instanceof V2Request.Close close) {
            member.close(close.channel());
        } else if (request instanceof V2Request.Send send) {
            member.publish(send.message());
        }
    }

    private void handleV1(String frame) {
        V1Request request;
        try {
            request = V1Codec.decodeRequest(frame);
        } catch (ProtocolException e) {
            protocolError(e.getMessage());
            reply(V1Codec.encodeError(e.getMessage()));
            return;
        }
        if (request instanceof V1Request.Open open) {
            member.open(open.channel());
            reply(V1Codec.encodeOpenResult(member.channels()));
        } else if (request instanceof V1Request.Close close) {
            if (member.close(close.channel())) {
                reply(V1Codec.encodeCloseResult(member.channels()));
            } else {
                reply(V1Codec.encodeError("Channel " + JsonValues.toJson(close.channel().value()) + " is not open"));
            }
        } else if (request instanceof V1Request.Message message) {
            Delivery delivery = member.publish(message.message());
            reply(V1Codec.encodeMessageResult(delivery.message()));
        } else if (request instanceof V1Request.Log log) {
            reply(V1Codec.encodeLogResult(v1Log.slice(log.start(), log.end())));
        }
    }

    private void protocolError(String detail) {
        metrics.protocolErrors.increment();
        LOG.debug("Protocol error from {}: {}", remote, detail);
    }

    private void onError(Throwable error) {
        String message = String.valueOf(error.getMessage());
        if (isOversize(error)) {
            metrics.oversizeFrames.increment();
            LOG.info("Closing {}: frame over the maximum size ({}); raise skynet.server.max-frame-size if it is legitimate",
                    remote, message);
            socket.close(CLOSE_TOO_BIG, "frame too big");
        } else {
            LOG.debug("Websocket error from {}: {}", remote, message);
        }
    }

    /** Netty refuses a frame over the limit; Vert.x refuses fragments adding up to more (no type of its own). */
    private static boolean isOversize(Throwable error) {
        if (error instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException corrupted) {
            return corrupted.closeStatus().code() == CLOSE_TOO_BIG;
        }
        return error.getMessage() != null && error.getMessage().contains("max message size");
    }

    private void onClosed() {
        if (!closed) {
            closed = true;
            member.leave();
            synchronized (queue) {
                queue.clear();
            }
            metrics.connectionsClosed.increment();
        }
    }

    // ------------------------------------------------------------------ outbound

    @Override
    public void onMessage(Delivery delivery) {
        enqueue(delivery);
    }

    /** Replies go through the same queue as pushes so the client sees them in order. */
    private void reply(Object frame) {
        enqueue(frame);
    }

    private void enqueue(Object item) {
        if (closed) {
            return;
        }
        boolean overflow = false;
        synchronized (queue) {
            if (queue.size() >= queueLimit) {
                if (overflowPolicy == OverflowPolicy.DROP_OLDEST) {
                    queue.pollFirst();
                    metrics.deliveriesDropped.increment();
                    queue.addLast(item);
                } else {
                    overflow = true;
                }
            } else {
                queue.addLast(item);
            }
        }
        if (overflow) {
            closeSlowClient();
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void closeSlowClient() {
        if (!closed) {
            closed = true;
            metrics.slowClientsClosed.increment();
            LOG.warn("Closing {}: it did not read its messages and its send queue ({} messages) is full"
                    + " (skynet.server.send-queue-limit / overflow-policy)", remote, queueLimit);
            context.runOnContext(v -> {
                member.leave();
                synchronized (queue) {
                    queue.clear();
                }
                metrics.connectionsClosed.increment();
                socket.close(CLOSE_TOO_SLOW, "send queue full: reading too slowly");
            });
        }
    }

    /** Runs on this connection's event loop. */
    private void drain() {
        while (true) {
            Object item;
            synchronized (queue) {
                item = queue.pollFirst();
            }
            if (item == null) {
                drainScheduled.set(false);
                boolean more;
                synchronized (queue) {
                    more = !queue.isEmpty();
                }
                if (!more || !drainScheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (closed) {
                return;
            }
            write(item);
            if (socket.writeQueueFull()) {
                // Resume when Netty has flushed; until then deliveries wait in our bounded queue.
                socket.drainHandler(v -> drain());
                return;
            }
        }
    }

    private void write(Object item) {
        if (item instanceof Delivery delivery) {
            if (protocol == Protocol.V1) {
                socket.writeTextMessage(delivery.v1Event());
            } else {
                socket.writeBinaryMessage(delivery.v2Frame());
            }
        } else if (item instanceof Buffer binary) {
            socket.writeBinaryMessage(binary);
        } else {
            socket.writeTextMessage((String) item);
        }
    }
}
