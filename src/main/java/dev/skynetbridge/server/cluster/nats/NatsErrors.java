package dev.skynetbridge.server.cluster.nats;

import java.util.Locale;

/** What to check for the {@code -ERR}s a user can cause. */
public final class NatsErrors {

    private NatsErrors() {
    }

    /**
     * {@link #hint(String)} for the {@code -ERR} that refused a login: what to check names the credentials this login
     * sent (a server says only "Authorization Violation", whatever was wrong).
     */
    public static String refusalHint(String text, NatsLogin.Kind login) {
        if (!loginRefused(text) || login == NatsLogin.Kind.URL) {
            return hint(text);
        }
        if (login == NatsLogin.Kind.NKEY) {
            return "; check skynet.cluster.credentials-file: the public key (U...) of its seed must be one of the"
                   + " nkey users in the server's authorization block";
        }
        return "; check skynet.cluster.credentials-file: its seed must be the key of the user its JWT names ('nsc"
               + " generate creds' writes both), the server must know the JWT's account (its resolver), and neither the"
               + " user's nor the account's JWT may be expired or revoked";
    }

    /** A sentence to append to the server's words (starting with "; "), or "" when there is nothing to add. */
    public static String hint(String text) {
        String error = text.toLowerCase(Locale.ROOT);
        if (loginRefused(text)) {
            return "; check the user and password or the token in skynet.cluster.nats-url"
                   + " (nats://user:password@host:4222, nats://token@host:4222), or skynet.cluster.credentials-file,"
                   + " against the server's authorization block";
        }
        if (error.contains("authorization timeout")) {
            return "; the server waited too long for the login: is the network slow, or TLS misconfigured?";
        }
        if (error.contains("permissions violation")) {
            return "; this NATS user may not publish or subscribe on the cluster's subjects: allow"
                   + " skynet.cluster.subject-prefix + '.>' for it";
        }
        if (error.contains("secure connection") || error.contains("tls required")) {
            return "; the server wants TLS: use tls://host:port in skynet.cluster.nats-url";
        }
        if (error.contains("maximum payload")) {
            return "; a message was larger than the server's max_payload";
        }
        if (error.contains("slow consumer")) {
            return "; this gateway read its messages more slowly than NATS sent them, and NATS dropped some";
        }
        return "";
    }

    private static boolean loginRefused(String text) {
        String error = text.toLowerCase(Locale.ROOT);
        return error.contains("authorization violation") || error.contains("authentication");
    }

    /** Whether the server says this client reads too slowly. */
    public static boolean slowConsumer(String text) {
        return text.toLowerCase(Locale.ROOT).contains("slow consumer");
    }
}
