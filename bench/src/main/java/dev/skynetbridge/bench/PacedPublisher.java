package dev.skynetbridge.bench;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * One load-generating websocket publisher: sends on a 1 ms timer and whenever the socket drains,
 * at a fixed rate or as fast as its window allows. The window (messages sent but not yet received
 * at the far side) keeps the measured system's bounded buffers short of their limit, so max-rate
 * runs measure sustained delivery, not drops. Shared by {@link ServerLoadTool} and {@link BridgeLoadTool}.
 */
final class PacedPublisher {

    private final Vertx vertx;
    private final WebSocket ws;
    private final int window;
    private final double perNano;
    private final int maxBurst;
    private final LongSupplier received;
    private final BooleanSupplier stopping;
    private final LongFunction<Buffer> frameFor;
    private final AtomicLong sentSoFar = new AtomicLong();
    private long sent;
    private long startNanos;
    private long timer = -1;
    private boolean pumping;

    /**
     * @param perNano messages per nanosecond for a fixed rate, 0 for as fast as the window allows
     * @param received how many of this publisher's messages the far side has received
     * @param frameFor the frame of the n-th message (stamped with the send time when built)
     */
    PacedPublisher(Vertx vertx, WebSocket ws, int window, double perNano, int maxBurst, LongSupplier received,
            BooleanSupplier stopping, LongFunction<Buffer> frameFor) {
        this.vertx = vertx;
        this.ws = ws;
        this.window = window;
        this.perNano = perNano;
        this.maxBurst = maxBurst;
        this.received = received;
        this.stopping = stopping;
        this.frameFor = frameFor;
        ws.binaryMessageHandler(frame -> { });
        // Vert.x flushes each frame written outside a read: one system call per message would make the
        // generator, not the measured system, the limit. Merge the flushes of one burst.
        ((io.vertx.core.http.impl.WebSocketInternal) ws).channelHandlerContext().pipeline()
                .addFirst("bench-flush-consolidation", new FlushConsolidationHandler(maxBurst, true));
    }

    WebSocket socket() {
        return ws;
    }

    long sentSoFar() {
        return sentSoFar.get();
    }

    void start() {
        ws.drainHandler(v -> pump());
        // The timer must fire on the socket's own event loop, where its writes are cheapest.
        ServerLoadTool.contextOf(ws).runOnContext(v -> {
            startNanos = System.nanoTime();
            timer = vertx.setPeriodic(1, id -> pump());
        });
    }

    private void pump() {
        if (stopping.getAsBoolean()) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            return;
        }
        // A write can call pump() again from inside: when the channel turns unwritable the flush
        // consolidation handler flushes at once, the socket drains and the drain handler runs, nested.
        // The nested call would reuse the number of the write in progress, so it is ignored: the timer resumes.
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            long budget = window - (sent - received.getAsLong());
            if (perNano > 0) {
                budget = Math.min(budget, (long) ((System.nanoTime() - startNanos) * perNano) - sent);
            }
            budget = Math.min(budget, maxBurst);
            while (budget-- > 0 && !ws.writeQueueFull()) {
                ws.writeBinaryMessage(frameFor.apply(sent++));
            }
        } finally {
            pumping = false;
        }
        sentSoFar.lazySet(sent);
    }
}
