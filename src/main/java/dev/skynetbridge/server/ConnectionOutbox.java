package dev.skynetbridge.server;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection has yet to write: pushes from any thread and its own replies, in one
 * bounded queue drained on the connection's event loop, so replies and pushes keep their order
 * and a slow reader costs at most {@code send-queue-limit} frames of memory.
 */
final class ConnectionOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionOutbox.class);

    /** Queued after the replies owed: close once they are written. */
    private record CloseAfterQueued(short code, String reason) {
    }

    private final ServerWebSocket socket;
    private final Context context;
    private final ServerOptions options;
    private final HubMetrics metrics;
    private final BooleanSupplier speaksV1;
    private final ClientConnection connection;
    /** Guarded by itself. Elements are Delivery (a push), Buffer/String (a reply) or a close. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Nothing more is queued or written. */
    private volatile boolean shut;
    /** Shut because the client read too slowly: what was queued counts as dropped for that reason. */
    private volatile boolean closedAsSlow;
    /** This connection's share of metrics.deliveriesDropped; guarded by queue. */
    private long dropped;

    ConnectionOutbox(ServerWebSocket socket, Context context, ServerOptions options, HubMetrics metrics,
            BooleanSupplier speaksV1, ClientConnection connection) {
        this.socket = socket;
        this.context = context;
        this.options = options;
        this.metrics = metrics;
        this.speaksV1 = speaksV1;
        this.connection = connection;
    }

    /** A Delivery (encoded for the connection's protocol), a Buffer (binary frame) or a String (text frame). */
    void push(Object item) {
        if (shut) {
            if (item instanceof Delivery) {
                metrics.deliveriesDiscardedOnClose.increment();
            }
            return;
        }
        boolean overflow = false;
        synchronized (queue) {
            if (queue.size() >= options.sendQueueLimit()) {
                if (options.overflowPolicy() == OverflowPolicy.DROP_OLDEST) {
                    queue.pollFirst();
                    metrics.deliveriesDropped.increment();
                    dropped++;
                    queue.addLast(item);
                } else {
                    overflow = true;
                }
            } else {
                queue.addLast(item);
            }
        }
        if (overflow) {
            if (item instanceof Delivery) {
                metrics.deliveriesDroppedSlowClient.increment();
            }
            closeSlowClient();
            return;
        }
        scheduleDrain();
    }

    /** Frames waiting to be written. */
    int depth() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Deliveries dropped because the queue was full (drop-oldest). */
    long dropped() {
        synchronized (queue) {
            return dropped;
        }
    }

    /** Writes what is queued, then closes; past the queue limit, since the close must not be dropped. */
    void closeAfterQueued(short code, String reason) {
        synchronized (queue) {
            queue.addLast(new CloseAfterQueued(code, reason));
        }
        scheduleDrain();
    }

    /** The connection is gone: drop what is queued and take nothing more. */
    void shut() {
        shut = true;
        synchronized (queue) {
            long deliveries = queue.stream().filter(Delivery.class::isInstance).count();
            (closedAsSlow ? metrics.deliveriesDroppedSlowClient : metrics.deliveriesDiscardedOnClose).add(deliveries);
            queue.clear();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void closeSlowClient() {
        if (!shut) {
            closedAsSlow = true;
            shut = true;
            metrics.slowClientsClosed.increment();
            LOG.warn("Closing {}: it did not read its messages and its send queue ({} messages) is full"
                    + " (skynet.server.send-queue-limit / overflow-policy)", connection.describe(),
                    options.sendQueueLimit());
            context.runOnContext(v -> {
                connection.finish();
                if (!socket.isClosed()) {
                    socket.close(ClientConnection.CLOSE_TOO_SLOW, "send queue full: reading too slowly");
                }
            });
        }
    }

    /** Runs on the connection's event loop. */
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
            // The peer may have gone between two frames: then there is nobody left to write to.
            if (shut || socket.isClosed()) {
                return;
            }
            if (item instanceof CloseAfterQueued close) {
                shut = true;
                socket.close(close.code(), close.reason());
                return;
            }
            write(item);
            if (socket.isClosed()) {
                return;
            }
            if (socket.writeQueueFull()) {
                // Resume when Netty has flushed; until then deliveries wait in the bounded queue.
                socket.drainHandler(v -> drain());
                return;
            }
        }
    }

    private void write(Object item) {
        if (item instanceof Delivery delivery) {
            if (speaksV1.getAsBoolean()) {
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
