package dev.skynetbridge.client;

import dev.skynetbridge.support.Backoff;
import java.net.URI;

/** Settings of one connection to a remote Skynet server. */
public record ClientOptions(
        URI uri,
        ProtocolVersion protocol,
        long reconnectInitialMillis,
        long reconnectMaxMillis,
        int maxFrameSize,
        int pendingSendLimit,
        long connectTimeoutMillis) {

    public static final long DEFAULT_RECONNECT_INITIAL_MILLIS = 250;
    public static final long DEFAULT_RECONNECT_MAX_MILLIS = 30_000;
    public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
    public static final int DEFAULT_PENDING_SEND_LIMIT = 10_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;

    public ClientOptions {
        if (uri == null || uri.getScheme() == null
                || !(uri.getScheme().equals("ws") || uri.getScheme().equals("wss")) || uri.getHost() == null) {
            throw new IllegalArgumentException("A Skynet server address is ws://host[:port]/path or wss://..., got " + uri);
        }
        if (protocol == null) {
            throw new IllegalArgumentException("protocol must be v1 or v2");
        }
        if (pendingSendLimit < 1) {
            throw new IllegalArgumentException("pendingSendLimit must be at least 1, got " + pendingSendLimit);
        }
        new Backoff(reconnectInitialMillis, reconnectMaxMillis); // validates
    }

    public static ClientOptions defaults(URI uri, ProtocolVersion protocol) {
        return new ClientOptions(uri, protocol, DEFAULT_RECONNECT_INITIAL_MILLIS, DEFAULT_RECONNECT_MAX_MILLIS,
                DEFAULT_MAX_FRAME_SIZE, DEFAULT_PENDING_SEND_LIMIT, DEFAULT_CONNECT_TIMEOUT_MILLIS);
    }

    public boolean tls() {
        return uri.getScheme().equals("wss");
    }

    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : tls() ? 443 : 80;
    }

    /** Path and query, with the reference's {@code /connect} as the default. */
    public String requestUri() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/connect" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The address without credentials or query, for logs. */
    public String describe() {
        return uri.getScheme() + "://" + uri.getHost() + ":" + port() + requestUri().split("\\?")[0] + " ("
                + protocol.name().toLowerCase() + ")";
    }
}
