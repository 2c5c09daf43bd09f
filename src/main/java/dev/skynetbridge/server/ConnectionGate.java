package dev.skynetbridge.server;

import dev.skynetbridge.server.acl.PresentedToken;
import dev.skynetbridge.server.acl.TokenRules;
import dev.skynetbridge.support.RateLimitedWarning;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at the websocket upgrade whether a client may connect: the connection limits first
 * (HTTP 429 over the per-address limit, 503 over the total), then, with an access file, its token
 * (HTTP 401 for a wrong, unknown or missing one, and nothing else). A refusal is counted and
 * logged with the remote address and the token's name if there is one, never the secret.
 */
final class ConnectionGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    static final int UNAUTHORIZED = 401;
    static final int TOO_MANY_REQUESTS = 429;
    static final int SERVICE_UNAVAILABLE = 503;

    private final ServerSide server;
    private final AccessMetrics metrics;
    private final ConnectionCounter counter;
    private final TokenAuthenticator authenticator;
    private final RateLimitedWarning refusedLog = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);

    ConnectionGate(Vertx vertx, ServerSide server) {
        this.server = server;
        this.metrics = server.hub().metrics().access();
        this.counter = new ConnectionCounter(server.options().limits());
        this.authenticator = server.accessControl().enabled() ? new TokenAuthenticator(vertx, server.accessControl())
                : null;
    }

    /**
     * Admits the client or refuses its upgrade. {@code admitted} runs on the connection's event
     * loop before the upgrade completes, so it can set the frame handlers before any frame comes.
     */
    void admit(ServerWebSocket socket, Context context, BiConsumer<ConnectionAccess, ConnectionCounter.Slot> admitted) {
        String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
        ConnectionCounter.Admission admission = counter.tryAcquire(address);
        if (admission.refusal() != null) {
            refuse(socket, admission.refusal() == Refusal.CONNECTIONS_TOTAL ? SERVICE_UNAVAILABLE : TOO_MANY_REQUESTS,
                    admission.refusal(), null);
            return;
        }
        ConnectionCounter.Slot slot = admission.slot();
        if (authenticator == null) {
            admitted.accept(new ConnectionAccess(Identity.OPEN, TokenRules.UNRESTRICTED, server.options().limits()), slot);
            return;
        }
        PresentedToken token = presentedToken(socket);
        Promise<Integer> handshake = Promise.promise();
        socket.setHandshake(handshake.future());
        authenticator.authenticate(token).onComplete(result -> context.runOnContext(v -> {
            if (result.failed()) {
                LOG.warn("Token check for a connection from {} failed: {}", socket.remoteAddress(), result.cause().toString());
            }
            TokenAuthenticator.Verdict verdict = result.succeeded() ? result.result()
                    : TokenAuthenticator.Verdict.refused(Refusal.AUTHENTICATION_BUSY);
            if (verdict.refusal() != null) {
                slot.release();
                refuse(handshake, verdict.refusal(), socket, token);
                return;
            }
            if (socket.isClosed()) { // the client gave up waiting
                slot.release();
                handshake.tryComplete(SERVICE_UNAVAILABLE);
                return;
            }
            TokenRules rules = server.accessControl().rulesFor(verdict.identity());
            if (rules == null) { // a reload revoked it while it was checked
                slot.release();
                refuse(handshake, Refusal.REVOKED, socket, token);
                return;
            }
            if (verdict.identity().kind() == Identity.Kind.TOKEN) {
                metrics.authenticated.increment();
            }
            try {
                admitted.accept(new ConnectionAccess(verdict.identity(), rules, server.options().limits()), slot);
            } catch (IllegalStateException e) { // the socket closed between the check and the handlers
                slot.release();
                handshake.tryComplete(SERVICE_UNAVAILABLE);
                return;
            }
            handshake.tryComplete(101);
        }));
    }

    private static PresentedToken presentedToken(ServerWebSocket socket) {
        String query = socket.query();
        String fromQuery = null;
        if (query != null && !query.isEmpty()) {
            List<String> values = new QueryStringDecoder(query, false).parameters().get("token");
            fromQuery = values == null || values.isEmpty() ? null : values.get(0);
        }
        return PresentedToken.from(ConnectionPaths.tokenPart(socket.path()), fromQuery,
                socket.headers().get("Authorization"));
    }

    private void refuse(Promise<Integer> handshake, Refusal refusal, ServerWebSocket socket, PresentedToken token) {
        int status = refusal == Refusal.AUTHENTICATION_BUSY ? SERVICE_UNAVAILABLE : UNAUTHORIZED;
        count(refusal, status, socket, token);
        handshake.tryComplete(status);
    }

    private void refuse(ServerWebSocket socket, int status, Refusal refusal, PresentedToken token) {
        count(refusal, status, socket, token);
        socket.reject(status);
    }

    private void count(Refusal refusal, int status, ServerWebSocket socket, PresentedToken token) {
        metrics.count(refusal);
        String who = token == null ? "no token" : token.toString();
        refusedLog.warn("Refused a connection from {} ({}, path {}): {} (HTTP {}; counted in access.refused.{})",
                socket.remoteAddress(), who, ConnectionPaths.redact(socket.path()), explain(refusal), status,
                refusal.key());
    }

    private String explain(Refusal refusal) {
        ConnectionLimits limits = server.options().limits();
        return switch (refusal) {
            case WRONG_SECRET -> "the secret does not match the token's hash";
            case UNKNOWN_TOKEN -> "no token of that name in the access file";
            case MALFORMED_TOKEN -> "the token is not <name>:<secret>, or path, query and header disagree";
            case ANONYMOUS -> "no token, and the access file has no anonymous block";
            case AUTHENTICATION_BUSY -> TokenAuthenticator.MAX_WAITING + " token checks are waiting already";
            case CONNECTIONS_PER_ADDRESS -> limits.connectionsPerAddress() + " connections from that address already"
                    + " (skynet.server.limit.connections-per-address)";
            case CONNECTIONS_TOTAL -> limits.connections() + " connections already (skynet.server.limit.connections)";
            case REVOKED -> "its token was revoked by a reload while it was checked";
            default -> refusal.key();
        };
    }

    @Override
    public void close() {
        if (authenticator != null) {
            authenticator.close();
        }
    }
}
