package dev.skynetbridge.server;

import java.util.regex.Pattern;

/**
 * The websocket paths the server answers and what rides in them: {@code /connect[/<token>]} (v2,
 * or v1 when the first frame is JSON) and {@code /v1/connect[/<token>]} (v1). A token in a path
 * or query is a secret: log paths only through {@link #redact}.
 */
public final class ConnectionPaths {

    static final String V2_PATH = "/connect";
    static final String V1_PATH = "/v1/connect";
    static final String REDACTED = "<redacted>";
    private static final int MAX_LOGGED_LENGTH = 80;
    private static final Pattern QUERY_TOKEN = Pattern.compile("(^|&)(token=)[^&]*");

    private ConnectionPaths() {
    }

    /** The protocol a path asks for, or null when the server does not serve it (404). */
    static ClientConnection.Protocol protocolOf(String path) {
        if (isUnder(path, V1_PATH)) {
            return ClientConnection.Protocol.V1;
        }
        if (isUnder(path, V2_PATH)) {
            return ClientConnection.Protocol.UNDECIDED;
        }
        return null;
    }

    /** What follows {@code /connect/} or {@code /v1/connect/} (still percent-encoded), or null when nothing does. */
    static String tokenPart(String path) {
        for (String base : new String[] {V1_PATH, V2_PATH}) {
            if (path.startsWith(base + "/")) {
                String rest = path.substring(base.length() + 1);
                return rest.isEmpty() ? null : rest;
            }
        }
        return null;
    }

    private static boolean isUnder(String path, String base) {
        return path.equals(base) || path.startsWith(base + "/");
    }

    /**
     * A path or URI fit for a log line: whatever follows {@code /connect/} or {@code /v1/connect/}
     * becomes {@code <redacted>}, and so does a {@code token=} query value.
     */
    public static String redact(String pathOrUri) {
        if (pathOrUri == null) {
            return null;
        }
        int question = pathOrUri.indexOf('?');
        String path = question < 0 ? pathOrUri : pathOrUri.substring(0, question);
        String query = question < 0 ? null : pathOrUri.substring(question + 1);
        String safePath = path;
        for (String base : new String[] {V1_PATH, V2_PATH}) {
            int at = path.indexOf(base + "/");
            if (at >= 0 && at + base.length() + 1 < path.length()) {
                safePath = path.substring(0, at + base.length() + 1) + REDACTED;
                break;
            }
        }
        if (query == null) {
            return safePath;
        }
        return safePath + "?" + QUERY_TOKEN.matcher(query).replaceAll("$1$2" + REDACTED);
    }

    /**
     * A request path as the log may show it: a Skynet path with its token redacted ({@link #redact}); of any
     * other path only the first segment (a proxy prefix can carry a token too); never over 80 characters,
     * never a control character.
     */
    public static String forLog(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        int question = path.indexOf('?');
        String bare = question < 0 ? path : path.substring(0, question);
        String shown;
        if (protocolOf(bare) != null) {
            shown = redact(path);
        } else {
            int second = bare.indexOf('/', 1);
            shown = second < 0 || second == bare.length() - 1 ? bare : bare.substring(0, second + 1) + REDACTED;
        }
        if (shown.length() > MAX_LOGGED_LENGTH) {
            shown = shown.substring(0, MAX_LOGGED_LENGTH) + "...";
        }
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
