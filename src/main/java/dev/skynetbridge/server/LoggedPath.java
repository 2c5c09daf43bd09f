package dev.skynetbridge.server;

/**
 * A websocket path as the log may show it. A token rides in {@code /connect/<token>}, so
 * everything after {@code /connect/} becomes {@code <redacted>}; of any other path only the
 * first segment is kept (a proxy prefix can carry a token too). Never longer than 80 characters,
 * never a control character.
 */
final class LoggedPath {

    static final String REDACTED = "<redacted>";
    private static final int MAX_LENGTH = 80;

    private LoggedPath() {
    }

    static String of(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String prefix = SkynetServer.V2_PATH + "/";
        String shown;
        if (path.equals(SkynetServer.V2_PATH) || path.equals(prefix) || path.equals(SkynetServer.V1_PATH)) {
            shown = path;
        } else if (path.startsWith(prefix)) {
            shown = prefix + REDACTED;
        } else {
            int second = path.indexOf('/', 1);
            shown = second < 0 || second == path.length() - 1 ? path : path.substring(0, second + 1) + REDACTED;
        }
        if (shown.length() > MAX_LENGTH) {
            shown = shown.substring(0, MAX_LENGTH) + "...";
        }
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
