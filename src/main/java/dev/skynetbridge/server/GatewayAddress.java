package dev.skynetbridge.server;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address a client used to reach the gateway, as the scheme and authority it can use again:
 * the request's {@code Host} header (a name, an IPv4 address or a bracketed IPv6 literal, with
 * an optional port), {@code https} when the request came over TLS or through a proxy that says
 * {@code X-Forwarded-Proto: https}, and the listening socket's address when there is no Host.
 */
record GatewayAddress(boolean secure, String authority) {

    private static final Pattern HOST = Pattern.compile(
            "(?:\\[(?<ipv6>[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)]|(?<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})))"
            + "(?::(?<port>[0-9]{1,5}))?");
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    /** Throws IllegalArgumentException with the reason when the Host header cannot be reused. */
    static GatewayAddress of(HttpServerRequest request) {
        boolean secure = request.isSSL() || "https".equals(forwardedProto(request));
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            return new GatewayAddress(secure, authorityOf(request.localAddress()));
        }
        Matcher matcher = HOST.matcher(host.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("the Host header '" + printable(host) + "' is not a host name, an IPv4"
                    + " address or a [bracketed] IPv6 address with an optional :port");
        }
        String port = matcher.group("port");
        if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw new IllegalArgumentException("the Host header's port " + port + " is not 1..65535");
        }
        return new GatewayAddress(secure, host.trim());
    }

    String httpUrl(String path) {
        return (secure ? "https" : "http") + "://" + authority + path;
    }

    String websocketUrl(String path) {
        return (secure ? "wss" : "ws") + "://" + authority + path;
    }

    /** Percent-encodes text for one path segment (RFC 3986 unreserved characters stay as they are). */
    static String pathSegment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (UNRESERVED.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String forwardedProto(HttpServerRequest request) {
        String value = request.getHeader("X-Forwarded-Proto");
        return value == null ? null : value.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String authorityOf(SocketAddress local) {
        String host = local.hostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + local.port();
    }

    private static String printable(String text) {
        String shortened = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shortened.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
