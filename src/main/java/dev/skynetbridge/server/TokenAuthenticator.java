package dev.skynetbridge.server;

import dev.skynetbridge.server.acl.AccessPolicy;
import dev.skynetbridge.server.acl.PresentedToken;
import dev.skynetbridge.server.acl.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks the token a client presents against the access file. The hash is slow on purpose, so
 * it runs on a small pool of its own, never on an event loop: a burst of connections (or of bad
 * tokens) delays other logins, not other clients' traffic. At most {@link #MAX_WAITING} checks
 * wait; more are refused (503) rather than queued without bound.
 */
final class TokenAuthenticator implements AutoCloseable {

    /** Verification threads: the machine this was measured on has two cores. */
    static final int THREADS = 2;
    static final int MAX_WAITING = 256;

    /** The outcome: an identity, or why there is none. */
    record Verdict(Identity identity, Refusal refusal) {
        static Verdict of(Identity identity) {
            return new Verdict(identity, null);
        }

        static Verdict refused(Refusal refusal) {
            return new Verdict(null, refusal);
        }
    }

    private final AccessControl access;
    private final WorkerExecutor workers;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Checked for unknown names, so a wrong name costs as long as a wrong secret and does not tell which it was. */
    private final TokenHash decoy = TokenHash.create("decoy", TokenHash.DEFAULT_ITERATIONS);

    TokenAuthenticator(Vertx vertx, AccessControl access) {
        this.access = access;
        this.workers = vertx.createSharedWorkerExecutor("skynet-token-check", THREADS);
    }

    /** @param token null when the client presented none */
    Future<Verdict> authenticate(PresentedToken token) {
        AccessPolicy policy = access.policy();
        if (policy == null) {
            return Future.succeededFuture(Verdict.of(Identity.OPEN));
        }
        if (token == null) {
            return Future.succeededFuture(policy.allowsAnonymous() ? Verdict.of(Identity.ANONYMOUS)
                    : Verdict.refused(Refusal.ANONYMOUS));
        }
        if (token.problem() != null) {
            return Future.succeededFuture(Verdict.refused(Refusal.MALFORMED_TOKEN));
        }
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            return Future.succeededFuture(Verdict.refused(Refusal.AUTHENTICATION_BUSY));
        }
        AccessPolicy.TokenEntry entry = policy.token(token.name());
        return workers.<Verdict>executeBlocking(() -> {
            try {
                if (entry == null) {
                    decoy.verify(token.secret());
                    return Verdict.refused(Refusal.UNKNOWN_TOKEN);
                }
                return entry.hash().verify(token.secret()) ? Verdict.of(Identity.token(entry.name(), entry.hash()))
                        : Verdict.refused(Refusal.WRONG_SECRET);
            } finally {
                waiting.decrementAndGet();
            }
        }, false);
    }

    @Override
    public void close() {
        workers.close();
    }
}
