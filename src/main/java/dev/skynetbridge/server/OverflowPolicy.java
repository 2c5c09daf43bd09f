package dev.skynetbridge.server;

/** What a connection's bounded send queue does when a subscriber cannot keep up. */
public enum OverflowPolicy {
    /** Drop the oldest queued message to make room, and count it. */
    DROP_OLDEST,
    /** Close the slow client (websocket code 1008), and count it; it can reconnect. */
    CLOSE
}
