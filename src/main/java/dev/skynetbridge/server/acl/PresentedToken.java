package dev.skynetbridge.server.acl;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The token a client presents, {@code <name>:<secret>}, from wherever it put it: the path after
 * {@code /connect/} (all the stock Lua client can do), {@code ?token=}, or
 * {@code Authorization: Bearer}. {@code toString()} never shows the secret.
 */
public final class PresentedToken {

    /** Why no usable token came with a request. */
    public enum Problem {
        /** Given in two places with different values. */
        CONFLICTING,
        /** No {@code name:} part, or a name the file could not hold. */
        MALFORMED
    }

    private final String name;
    private final String secret;
    private final Problem problem;

    private PresentedToken(String name, String secret, Problem problem) {
        this.name = name;
        this.secret = secret;
        this.problem = problem;
    }

    /**
     * @param pathToken the percent-encoded path part after {@code /connect/}, or null/empty
     * @param queryToken the value of {@code ?token=}, already decoded, or null
     * @param authorization the {@code Authorization} header, or null
     * @return null when the client presented no token at all (an anonymous connection)
     */
    public static PresentedToken from(String pathToken, String queryToken, String authorization) {
        String fromPath = pathToken == null || pathToken.isEmpty() ? null : decodePath(pathToken);
        String fromQuery = queryToken == null || queryToken.isEmpty() ? null : queryToken;
        String fromHeader = bearer(authorization);
        String chosen = null;
        for (String candidate : new String[] {fromHeader, fromQuery, fromPath}) {
            if (candidate == null) {
                continue;
            }
            if (chosen != null && !chosen.equals(candidate)) {
                return new PresentedToken(null, null, Problem.CONFLICTING);
            }
            chosen = candidate;
        }
        if (chosen == null) {
            return null;
        }
        int colon = chosen.indexOf(':');
        if (colon <= 0 || colon == chosen.length() - 1) {
            return new PresentedToken(null, null, Problem.MALFORMED);
        }
        String name = chosen.substring(0, colon);
        if (!AccessFile.TOKEN_NAME.matcher(name).matches()) {
            return new PresentedToken(null, null, Problem.MALFORMED);
        }
        return new PresentedToken(name, chosen.substring(colon + 1), null);
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /** Percent-decoding only: in a path '+' is a plus sign. A bad escape leaves the text as it came. */
    private static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The token name the client claims, or null when the token was malformed or conflicting. */
    public String name() {
        return name;
    }

    /** The secret to verify. Never log it. */
    public String secret() {
        return secret;
    }

    /** Null when the token is well-formed. */
    public Problem problem() {
        return problem;
    }

    @Override
    public String toString() {
        return problem != null ? "token (" + problem.name().toLowerCase(java.util.Locale.ROOT) + ")"
                : "token " + name;
    }
}
