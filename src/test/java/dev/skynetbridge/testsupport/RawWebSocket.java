package dev.skynetbridge.testsupport;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plain websocket client for tests: sends raw frames and records every frame it receives, so
 * tests can assert the exact bytes a server sends.
 */
public final class RawWebSocket implements AutoCloseable {

    /** A received frame: binary bytes or text. */
    public record Frame(boolean binary, byte[] bytes, String text) {
        public String hex() {
            return Hex.hex(bytes);
        }
    }

    private final WebSocket socket;
    private final WebSocketClient client;
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Buffer> pongs = new LinkedBlockingQueue<>();
    private final AtomicReference<Short> closeStatus = new AtomicReference<>();
    private volatile boolean closed;

    private RawWebSocket(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.frameHandler(frame -> {
            if (frame.isBinary()) { // tests send and expect unfragmented messages
                frames.add(new Frame(true, frame.binaryData().getBytes(), null));
            } else if (frame.isText()) {
                frames.add(new Frame(false, frame.binaryData().getBytes(), frame.textData()));
            }
        });
        socket.pongHandler(pongs::add);
        socket.closeHandler(v -> {
            closeStatus.set(socket.closeStatusCode());
            closed = true;
        });
    }

    public static RawWebSocket connect(Vertx vertx, int port, String path) {
        return connect(vertx, port, path, false);
    }

    public static RawWebSocket connect(Vertx vertx, int port, String path, boolean tls) {
        return connect(vertx, port, path, tls, java.util.Map.of());
    }

    /** @param headers extra upgrade request headers (Authorization: Bearer ...) */
    public static RawWebSocket connect(Vertx vertx, int port, String path, boolean tls,
            java.util.Map<String, String> headers) {
        WebSocketClientOptions options = new WebSocketClientOptions().setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(16 * 1024 * 1024);
        if (tls) {
            options.setSsl(true).setTrustAll(true).setVerifyHost(false);
        }
        WebSocketClient client = vertx.createWebSocketClient(options);
        try {
            WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setSsl(tls).setURI(path);
            headers.forEach(connect::addHeader);
            WebSocket socket = client.connect(connect).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new RawWebSocket(client, socket);
        } catch (Exception e) {
            client.close();
            // the path may hold a test token: keep it out of the message like the server keeps it out of its log
            throw new UpgradeFailed(port, rejectedStatus(e), e);
        }
    }

    /** The server refused the upgrade (status is its HTTP status), or the connection failed (status -1). */
    public static final class UpgradeFailed extends IllegalStateException {
        private final int status;

        UpgradeFailed(int port, int status, Throwable cause) {
            super("could not connect a websocket to 127.0.0.1:" + port + (status > 0 ? ": HTTP " + status : ""), cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** 101 if the server accepts the upgrade (the socket is closed again), else the HTTP status it answered. */
    public static int upgradeStatus(Vertx vertx, int port, String path, boolean tls, java.util.Map<String, String> headers) {
        try (RawWebSocket socket = connect(vertx, port, path, tls, headers)) {
            return 101;
        } catch (UpgradeFailed e) {
            return e.status();
        }
    }

    private static int rejectedStatus(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
        }
        return -1;
    }

    public RawWebSocket sendBinary(byte[] bytes) {
        join(socket.writeBinaryMessage(Buffer.buffer(bytes)));
        return this;
    }

    public RawWebSocket sendHex(String hex) {
        return sendBinary(Hex.bytes(hex));
    }

    public RawWebSocket sendText(String text) {
        join(socket.writeTextMessage(text));
        return this;
    }

    public RawWebSocket sendFrame(WebSocketFrame frame) {
        join(socket.writeFrame(frame));
        return this;
    }

    public Buffer ping(byte[] data) {
        join(socket.writePing(Buffer.buffer(data)));
        try {
            return pongs.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits up to 10 s for the next frame; fails if none comes. */
    public Frame next() {
        try {
            Frame frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame received within 10 s");
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame if one arrives within {@code millis}, else null. */
    public Frame poll(long millis) {
        try {
            return frames.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public int pending() {
        return frames.size();
    }

    public void pauseReading() {
        socket.pause();
    }

    public void resumeReading() {
        socket.resume();
    }

    public boolean isClosed() {
        return closed;
    }

    public Short awaitClose() {
        await().atMost(Duration.ofSeconds(10)).until(() -> closed);
        return closeStatus.get();
    }

    @Override
    public void close() {
        if (!closed) {
            socket.close();
        }
        client.close();
    }

    private static <T> T join(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
