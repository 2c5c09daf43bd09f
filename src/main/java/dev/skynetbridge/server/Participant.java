package dev.skynetbridge.server;

/**
 * Who a hub member is, for the console: a websocket client (v1 or v2) or an in-process route. Called from any
 * thread, so every answer must be cheap and thread-safe.
 */
public interface Participant {

    /** {@code v2}, {@code v1}, {@code pending} (a websocket that has sent nothing yet) or {@code route}. */
    String kind();

    /** The remote address of a websocket client; the endpoint or bridge of an in-process route. */
    String address();

    /** Messages waiting to be written to it. */
    default int queueDepth() {
        return 0;
    }

    /** Messages dropped for it because its queue was full. */
    default long dropped() {
        return 0;
    }

    /**
     * Closes its connection, telling it {@code reason}; returns false when it cannot be disconnected (an
     * in-process route stops with its route, not from here).
     */
    default boolean disconnect(String reason) {
        return false;
    }

    /** An in-process participant ({@code skynet:} endpoints of a route or a bridge). */
    static Participant inProcess(String name) {
        return new Participant() {
            @Override
            public String kind() {
                return "route";
            }

            @Override
            public String address() {
                return name;
            }
        };
    }
}
