package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.json.JsonValues;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Guards the console and its API (and /observe/* only when skynet.management.observe-token-required is on: scrapers
 * and health checks use it). With a token, a request
 * must present it: header {@code Authorization: Bearer <token>} (scripts), or the console's cookie, which a browser
 * gets by opening {@code /?token=<token>} once (the login form does that). Without a token the console is open on a
 * loopback address and refused on any other, saying which setting to set.
 */
final class ConsoleAccess implements Handler<RoutingContext> {

    static final String COOKIE = "skynet_console";
    static final String TOKEN_PARAMETER = "token";

    private final byte[] token;
    /** What the cookie holds: the token's SHA-256, so the browser never keeps the token itself. */
    private final String cookieValue;
    private final boolean loopback;
    private final String host;

    ConsoleAccess(String host, String token) {
        this.host = host;
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.cookieValue = this.token == null ? null : sha256(this.token);
        this.loopback = isLoopback(host);
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Null when the console may be used; otherwise why not, for the start-up log. */
    String disabledReason() {
        return token == null && !loopback
                ? "the management server binds " + host + ", not a loopback address, and skynet.management.token"
                  + " is empty: set it (env SKYNET_MANAGEMENT_TOKEN) to use the console and its API"
                : null;
    }

    boolean tokenRequired() {
        return token != null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String disabled = disabledReason();
        if (disabled != null) {
            refuse(ctx, 401, "The console is off: " + disabled + ".");
            return;
        }
        if (token == null) {
            ctx.next();
            return;
        }
        String fromQuery = ctx.request().getParam(TOKEN_PARAMETER);
        if (fromQuery != null && matches(fromQuery)) {
            ctx.response().addCookie(Cookie.cookie(COOKIE, cookieValue).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT));
            ctx.next();
            return;
        }
        if (presentsToken(ctx)) {
            ctx.next();
            return;
        }
        refuse(ctx, 401, refusal(ctx, fromQuery) + ": the console and its API need"
                + " skynet.management.token (scripts: header Authorization: Bearer <token>; browsers: open"
                + " /?token=<token> once).");
    }

    /**
     * The guard of /observe/* when skynet.management.observe-token-required is on: the same token (header or the
     * console's cookie), never a login page, since scrapers and health checks read the answer.
     */
    Handler<RoutingContext> observeGuard() {
        return ctx -> {
            if (token != null && presentsToken(ctx)) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"skynet-bridge observe\"")
                    .putHeader("Cache-Control", "no-store").putHeader("Content-Type", "application/json")
                    .end(JsonValues.toJson(Map.of("error", refusal(ctx, null) + ": /observe/* needs"
                            + " skynet.management.token because skynet.management.observe-token-required is true"
                            + " (header Authorization: Bearer <token>; Prometheus: authorization: {credentials: <token>})")));
        };
    }

    private boolean presentsToken(RoutingContext ctx) {
        String presented = bearer(ctx.request().getHeader("Authorization"));
        if (presented != null) {
            return matches(presented);
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie != null && MessageDigest.isEqual(cookieValue.getBytes(StandardCharsets.US_ASCII),
                cookie.getValue().getBytes(StandardCharsets.US_ASCII));
    }

    private static String refusal(RoutingContext ctx, String fromQuery) {
        boolean wrong = bearer(ctx.request().getHeader("Authorization")) != null || fromQuery != null
                || ctx.request().getCookie(COOKIE) != null;
        return wrong ? "Wrong token" : "A token is required";
    }

    private boolean matches(String presented) {
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private void refuse(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("WWW-Authenticate", "Bearer realm=\"skynet-bridge console\"")
                .putHeader("Cache-Control", "no-store");
        String accept = ctx.request().getHeader("Accept");
        boolean browserPage = accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
        if (browserPage && token != null) {
            ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(LoginPage.html(message));
        } else {
            ctx.response().putHeader("Content-Type", "application/json")
                    .end(JsonValues.toJson(Map.of("error", message)));
        }
    }
}
