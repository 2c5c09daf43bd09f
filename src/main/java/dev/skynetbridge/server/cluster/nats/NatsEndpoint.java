package dev.skynetbridge.server.cluster.nats;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One NATS server to try: {@code nats://host:port} or {@code tls://host:port} (TLS required), with the credentials
 * the URL may carry: {@code user:password@} or {@code token@}. NATS's websocket ({@code ws://}, {@code wss://}) is
 * not spoken by this client: {@link #parse} says so.
 */
public record NatsEndpoint(boolean tls, String host, int port, String user, String password, String token) {

    public static final int DEFAULT_PORT = 4222;

    /** Parses a URL; throws {@link IllegalArgumentException} with what to write instead. */
    public static NatsEndpoint parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("NATS URL '" + redacted(url) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("ws") || scheme.equals("wss")) {
            throw new IllegalArgumentException("NATS URL '" + redacted(url) + "': this gateway connects to NATS's own"
                    + " port (nats:// or tls://, 4222 by default), not to its websocket port; use nats://host:4222");
        }
        if (!scheme.equals("nats") && !scheme.equals("tls") || uri.getHost() == null) {
            throw new IllegalArgumentException("NATS URL '" + redacted(url) + "' must look like nats://host:port"
                    + " (or tls://host:port; NATS's own port is 4222)");
        }
        String user = null;
        String password = null;
        String token = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                token = decoded(userInfo);
            } else {
                user = decoded(userInfo.substring(0, colon));
                password = decoded(userInfo.substring(colon + 1));
            }
        }
        return new NatsEndpoint(scheme.equals("tls"), uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                user, password, token);
    }

    /** A server the cluster announced ({@code connect_urls}: host:port), reached with this one's TLS and login. */
    public NatsEndpoint announced(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return new NatsEndpoint(tls, hostPort, DEFAULT_PORT, user, password, token);
        }
        String announcedHost = hostPort.substring(0, colon);
        if (announcedHost.startsWith("[") && announcedHost.endsWith("]")) {
            announcedHost = announcedHost.substring(1, announcedHost.length() - 1);
        }
        return new NatsEndpoint(tls, announcedHost, Integer.parseInt(hostPort.substring(colon + 1)), user, password,
                token);
    }

    /** Same server (host and port), whatever the login. */
    public boolean sameServer(NatsEndpoint other) {
        return host.equalsIgnoreCase(other.host) && port == other.port;
    }

    /** The URL without its credentials, for logs and the health check. */
    @Override
    public String toString() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "tls://" : "nats://") + (user != null || token != null ? "***@" : "") + shownHost + ":" + port;
    }

    private static String decoded(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** A URL as text without its credentials. */
    public static String redacted(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***@" + url.substring(at + 1) : url;
    }
}
