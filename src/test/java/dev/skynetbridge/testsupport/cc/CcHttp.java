package dev.skynetbridge.testsupport.cc;

import static dev.skynetbridge.testsupport.cc.LuaConversions.function;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The Java half of ComputerCraft's {@code http} API over real sockets, with CC: Tweaked's
 * behaviour where the client depends on it: requests and websocket connects are asynchronous and
 * answer with events ({@code http_success}, {@code websocket_success}/{@code _failure} with CC's
 * error texts, {@code websocket_message} with the bytes and a binary flag, {@code websocket_closed}
 * when the server closes, none for a local close); at most 4 websockets per computer; messages
 * over 128 KiB refused; a closed handle raises "attempt to use a closed file".
 */
final class CcHttp implements AutoCloseable {

    /** CC: Tweaked's defaults: {@code http.max_websockets} and {@code max_websocket_message}. */
    static final int MAX_WEBSOCKETS = 4;
    static final int MAX_WEBSOCKET_MESSAGE = 128 * 1024;

    private final Consumer<LuaValue[]> events;
    private final WebSocketClient websockets;
    private final HttpClient httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();

    private static final class Socket {
        final String url;
        volatile WebSocket webSocket;
        volatile boolean closed;
        volatile boolean closedLocally;

        Socket(String url) {
            this.url = url;
        }
    }

    CcHttp(Vertx vertx, Consumer<LuaValue[]> events) {
        this.events = events;
        this.websockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_WEBSOCKET_MESSAGE).setMaxMessageSize(MAX_WEBSOCKET_MESSAGE));
    }

    void install(LuaTable natives) {
        natives.set("http_request", function(args -> request(args.checkjstring(1), args.opttable(2, null))));
        natives.set("websocket_open", function(args -> openWebsocket(args.checkjstring(1), args.opttable(2, null))));
        natives.set("websocket_send", function(args -> send(args.checkint(1), args.checkstring(2), args.optboolean(3, false))));
        natives.set("websocket_close", function(args -> {
            close(args.checkint(1));
            return LuaValue.NONE;
        }));
        natives.set("websocket_is_closed", function(args -> {
            Socket socket = sockets.get(args.checkint(1));
            return LuaValue.valueOf(socket == null || socket.closed);
        }));
    }

    /** How many websockets the computer has open or opening. */
    int websocketsInUse() {
        return inUse.get();
    }

    private Varargs request(String url, LuaTable headers) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("URL malformed"));
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("URL malformed"));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        forEachHeader(headers, builder::header);
        httpClient.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            if (error != null) {
                events.accept(new LuaValue[] {LuaValue.valueOf("http_failure"), LuaValue.valueOf(url),
                    LuaValue.valueOf("Could not connect")});
                return;
            }
            LuaTable responseHeaders = new LuaTable();
            response.headers().map().forEach((name, values) -> responseHeaders.set(name, String.join(",", values)));
            int status = response.statusCode();
            String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
            events.accept(new LuaValue[] {LuaValue.valueOf(status / 100 == 2 ? "__http_success" : "__http_failure"),
                LuaValue.valueOf(url), LuaValue.valueOf(status), LuaValue.valueOf(reason),
                LuaString.valueUsing(response.body()), responseHeaders});
        });
        return LuaValue.TRUE;
    }

    private Varargs openWebsocket(String url, LuaTable headers) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("URL malformed"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("Invalid scheme '" + scheme + "'"));
        }
        if (uri.getHost() == null) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("URL malformed"));
        }
        if (inUse.incrementAndGet() > MAX_WEBSOCKETS) {
            inUse.decrementAndGet();
            throw new LuaError("Too many websockets already open");
        }
        boolean tls = scheme.equals("wss");
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                      + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80).setSsl(tls).setURI(path);
        forEachHeader(headers, options::addHeader);
        int id = ids.incrementAndGet();
        Socket socket = new Socket(url);
        sockets.put(id, socket);
        websockets.connect(options).onComplete(result -> {
            if (result.failed()) {
                socket.closed = true;
                inUse.decrementAndGet();
                events.accept(new LuaValue[] {LuaValue.valueOf("websocket_failure"), LuaValue.valueOf(url),
                    LuaValue.valueOf(friendlyError(result.cause()))});
                return;
            }
            WebSocket webSocket = result.result();
            socket.webSocket = webSocket;
            webSocket.binaryMessageHandler(data -> message(socket, data.getBytes(), true));
            webSocket.textMessageHandler(text -> message(socket, text.getBytes(StandardCharsets.UTF_8), false));
            webSocket.exceptionHandler(error -> { });
            webSocket.closeHandler(v -> {
                socket.closed = true;
                inUse.decrementAndGet();
                if (!socket.closedLocally) {
                    String reason = webSocket.closeReason();
                    Short code = webSocket.closeStatusCode();
                    events.accept(new LuaValue[] {LuaValue.valueOf("websocket_closed"), LuaValue.valueOf(url),
                        reason == null || reason.isEmpty() ? LuaValue.NIL : LuaValue.valueOf(reason),
                        code == null ? LuaValue.NIL : LuaValue.valueOf(code)});
                }
            });
            events.accept(new LuaValue[] {LuaValue.valueOf("__websocket_success"), LuaValue.valueOf(url),
                LuaValue.valueOf(id)});
        });
        return LuaValue.TRUE;
    }

    private void message(Socket socket, byte[] data, boolean binary) {
        events.accept(new LuaValue[] {LuaValue.valueOf("websocket_message"), LuaValue.valueOf(socket.url),
            LuaString.valueUsing(data), LuaValue.valueOf(binary)});
    }

    private Varargs send(int id, LuaString message, boolean binary) {
        Socket socket = sockets.get(id);
        if (socket == null || socket.closed || socket.webSocket == null) {
            throw new LuaError("attempt to use a closed file");
        }
        if (message.m_length > MAX_WEBSOCKET_MESSAGE) {
            throw new LuaError("Message is too large");
        }
        byte[] bytes = LuaConversions.bytes(message);
        if (binary) {
            socket.webSocket.writeBinaryMessage(Buffer.buffer(bytes));
        } else {
            socket.webSocket.writeTextMessage(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return LuaValue.NONE;
    }

    private void close(int id) {
        Socket socket = sockets.get(id);
        if (socket != null && !socket.closed) {
            socket.closedLocally = true;
            socket.closed = true;
            WebSocket webSocket = socket.webSocket;
            if (webSocket != null) {
                webSocket.close();
            }
        }
    }

    /** CC: Tweaked's texts (NetworkUtils.toFriendlyError and Netty's handshaker) for what the client meets. */
    static String friendlyError(Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected) {
            return "Invalid handshake response getStatus: " + HttpResponseStatus.valueOf(rejected.getStatus());
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return "Timed out";
        }
        if (cause instanceof ConnectException) {
            return "Could not connect";
        }
        return "Could not connect";
    }

    private interface HeaderSink {
        Object add(String name, String value);
    }

    private static void forEachHeader(LuaTable headers, HeaderSink sink) {
        if (headers == null) {
            return;
        }
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = headers.next(key);
            key = next.arg1();
            if (key.isnil()) {
                return;
            }
            if (key.isstring() && next.arg(2).isstring()) {
                sink.add(key.tojstring(), next.arg(2).tojstring());
            }
        }
    }

    @Override
    public void close() {
        sockets.keySet().forEach(this::close);
        websockets.close();
    }
}
