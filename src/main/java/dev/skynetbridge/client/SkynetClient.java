package dev.skynetbridge.client;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v1.V1Codec;
import dev.skynetbridge.protocol.v1.V1ServerFrame;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.support.Backoff;
import dev.skynetbridge.support.ChannelListeners;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of any Skynet server (v2 or v1) that keeps itself connected: it starts even while the
 * server is down, reconnects with exponential backoff and jitter, re-opens every subscribed
 * channel after each reconnect, and holds sends made while disconnected in a bounded buffer.
 *
 * <p>All connection state lives on one Vert.x context, so frames are handled in the order they
 * arrive and listeners are called in that order.
 */
public final class SkynetClient {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetClient.class);

    public enum State { CONNECTING, CONNECTED, DISCONNECTED, STOPPED }

    private final Vertx vertx;
    private final ClientOptions options;
    private final Context context;
    private final WebSocketClient webSocketClient;
    private final Backoff backoff;
    private final ChannelListeners listeners = new ChannelListeners();

    // Only touched on the context.
    private final ArrayDeque<Object> pendingSends = new ArrayDeque<>();
    private WebSocket socket;
    private volatile State state = State.DISCONNECTED;
    private boolean stopped;
    private long reconnectTimer = -1;

    private final LongAdder connects = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder droppedSends = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();

    public SkynetClient(Vertx vertx, ClientOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.context = vertx.getOrCreateContext();
        this.backoff = new Backoff(options.reconnectInitialMillis(), options.reconnectMaxMillis());
        WebSocketClientOptions wsOptions = new WebSocketClientOptions()
                .setMaxFrameSize(options.maxFrameSize())
                .setMaxMessageSize(options.maxFrameSize())
                .setConnectTimeout((int) options.connectTimeoutMillis())
                .setTcpNoDelay(true);
        if (options.tls()) {
            wsOptions.setSsl(true).setVerifyHost(true);
        }
        this.webSocketClient = vertx.createWebSocketClient(wsOptions);
    }

    public ClientOptions options() {
        return options;
    }

    public State state() {
        return state;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Starts connecting in the background and returns at once. */
    public void start() {
        context.runOnContext(v -> {
            stopped = false;
            connect();
        });
    }

    public void stop() {
        context.runOnContext(v -> {
            stopped = true;
            state = State.STOPPED;
            if (reconnectTimer >= 0) {
                vertx.cancelTimer(reconnectTimer);
            }
            if (socket != null) {
                socket.close();
                socket = null;
            }
            webSocketClient.close();
        });
    }

    /**
     * Adds a listener for a channel ({@code *} for every message). The channel is opened on the
     * server with the first listener and closed with the last; after a reconnect it is re-opened.
     */
    public Runnable subscribe(Channel channel, Consumer<SkynetMessage> listener) {
        context.runOnContext(v -> {
            if (listeners.add(channel, listener) && socket != null) {
                writeNow(openFrame(channel));
            }
        });
        return () -> context.runOnContext(v -> {
            if (listeners.remove(channel, listener) && socket != null) {
                writeNow(closeFrame(channel));
            }
        });
    }

    /** Sends a message; while disconnected it waits in a bounded buffer (oldest dropped when full). */
    public void send(SkynetMessage message) {
        Object frame = options.protocol() == ProtocolVersion.V2
                ? Buffer.buffer(V2Codec.encodeSend(message))
                : V1Codec.encodeSend(message);
        context.runOnContext(v -> {
            if (socket != null && pendingSends.isEmpty() && !socket.writeQueueFull()) {
                writeNow(frame);
                sent.increment();
            } else {
                bufferSend(frame);
                WebSocket ws = socket;
                if (ws != null) {
                    ws.drainHandler(d -> flushPending(ws));
                }
            }
        });
    }

    private void bufferSend(Object frame) {
        if (pendingSends.size() >= options.pendingSendLimit()) {
            pendingSends.pollFirst();
            droppedSends.increment();
            if (droppedSends.sum() == 1 || droppedSends.sum() % 1000 == 0) {
                LOG.warn("Skynet server {} is unreachable and {} sends are buffered: dropped the oldest ({} dropped so far)",
                        options.describe(), options.pendingSendLimit(), droppedSends.sum());
            }
        }
        pendingSends.addLast(frame);
    }

    // ------------------------------------------------------------------ connection life cycle (on context)

    private void connect() {
        if (stopped) {
            return;
        }
        reconnectTimer = -1;
        state = State.CONNECTING;
        WebSocketConnectOptions connectOptions = new WebSocketConnectOptions()
                .setHost(options.uri().getHost())
                .setPort(options.port())
                .setSsl(options.tls())
                .setURI(options.requestUri());
        webSocketClient.connect(connectOptions).onComplete(result -> {
            if (result.failed()) {
                scheduleReconnect(result.cause().getMessage());
                return;
            }
            WebSocket ws = result.result();
            if (stopped) {
                ws.close();
                return;
            }
            onConnected(ws);
        });
    }

    private void onConnected(WebSocket ws) {
        socket = ws;
        state = State.CONNECTED;
        connects.increment();
        boolean reconnect = backoff.attempts() > 0 || connects.sum() > 1;
        backoff.reset();
        ws.binaryMessageHandler(frame -> onFrame(frame.getBytes(), null));
        ws.textMessageHandler(text -> onFrame(null, text));
        ws.exceptionHandler(error -> LOG.debug("Skynet connection {} error: {}", options.describe(), error.toString()));
        ws.closeHandler(v -> {
            if (socket == ws) {
                socket = null;
                scheduleReconnect("connection closed"
                        + (ws.closeStatusCode() == null ? "" : " (code " + ws.closeStatusCode() + ")"));
            }
        });
        // The server forgets our channels when the connection drops: open them all again.
        for (Channel channel : listeners.channels()) {
            writeNow(openFrame(channel));
        }
        while (!pendingSends.isEmpty() && !ws.writeQueueFull()) {
            writeNow(pendingSends.pollFirst());
            sent.increment();
        }
        if (!pendingSends.isEmpty()) {
            ws.drainHandler(v -> flushPending(ws));
        }
        LOG.info("{} Skynet server {} ({} channels open)", reconnect ? "Reconnected to" : "Connected to",
                options.describe(), listeners.channels().size());
    }

    private void flushPending(WebSocket ws) {
        while (socket == ws && !pendingSends.isEmpty() && !ws.writeQueueFull()) {
            writeNow(pendingSends.pollFirst());
            sent.increment();
        }
    }

    private void scheduleReconnect(String reason) {
        if (stopped) {
            return;
        }
        state = State.DISCONNECTED;
        long delay = backoff.nextDelayMillis();
        if (backoff.attempts() == 1 || backoff.attempts() % 10 == 0) {
            LOG.warn("Skynet server {} unavailable: {}; retrying in {} ms (attempt {}), the route keeps running",
                    options.describe(), reason, delay, backoff.attempts());
        } else {
            LOG.debug("Skynet server {} unavailable: {}; retrying in {} ms", options.describe(), reason, delay);
        }
        reconnectTimer = vertx.setTimer(delay, id -> connect());
    }

    private void onFrame(byte[] binary, String text) {
        try {
            if (options.protocol() == ProtocolVersion.V2) {
                byte[] bytes = binary != null ? binary : Buffer.buffer(text).getBytes();
                V2ServerFrame frame = V2Codec.decodeServerFrame(bytes);
                if (frame instanceof V2ServerFrame.Push push) {
                    dispatch(push.message());
                } else if (frame instanceof V2ServerFrame.Error error) {
                    serverErrors.increment();
                    LOG.warn("Skynet server {} refused a request: {}", options.describe(), error.detail());
                }
            } else {
                V1ServerFrame frame = V1Codec.decodeServerFrame(text != null ? text : new String(binary,
                        java.nio.charset.StandardCharsets.UTF_8));
                if (frame instanceof V1ServerFrame.Event event) {
                    dispatch(event.message());
                } else if (frame instanceof V1ServerFrame.Error error) {
                    serverErrors.increment();
                    LOG.warn("Skynet v1 server {} answered an error: {}", options.describe(), error.error());
                }
            }
        } catch (ProtocolException e) {
            serverErrors.increment();
            LOG.warn("Unreadable frame from Skynet server {}: {}", options.describe(), e.getMessage());
        }
    }

    private void dispatch(SkynetMessage message) {
        received.increment();
        listeners.dispatch(message);
    }

    private Object openFrame(Channel channel) {
        return options.protocol() == ProtocolVersion.V2 ? Buffer.buffer(V2Codec.encodeOpen(channel))
                : V1Codec.encodeOpen(channel);
    }

    private Object closeFrame(Channel channel) {
        return options.protocol() == ProtocolVersion.V2 ? Buffer.buffer(V2Codec.encodeClose(channel))
                : V1Codec.encodeClose(channel);
    }

    private void writeNow(Object frame) {
        if (frame instanceof Buffer binary) {
            socket.writeBinaryMessage(binary);
        } else {
            socket.writeTextMessage((String) frame);
        }
    }

    public Map<String, Long> metrics() {
        return Map.of("connects", connects.sum(), "received", received.sum(), "sent", sent.sum(),
                "droppedSends", droppedSends.sum(), "serverErrors", serverErrors.sum());
    }
}
