package dev.skynetbridge.server;

/**
 * Limits of the websocket server, each 0 for "no limit". The defaults are far above what a
 * ComputerCraft program does (a turtle reporting every game tick sends 20 messages a second;
 * a Minecraft server's computers all connect from that server's one address).
 *
 * @param channelsPerConnection channels one connection may have open
 * @param messagesPerSecond requests (open, close, message, log) per second per connection, sustained
 * @param messageBurst requests a connection may send at once above the sustained rate
 * @param bytesPerSecond request bytes per second per connection, sustained
 * @param byteBurst request bytes at once; at least the largest frame, or such a frame could never pass
 * @param connectionsPerAddress connections from one remote address (over it: HTTP 429 at the upgrade)
 * @param connections connections in all (over it: HTTP 503 at the upgrade)
 */
public record ConnectionLimits(int channelsPerConnection, long messagesPerSecond, long messageBurst,
        long bytesPerSecond, long byteBurst, int connectionsPerAddress, int connections) {

    public static final int DEFAULT_CHANNELS_PER_CONNECTION = 1000;
    // Per-connection rates stay above what the default path must carry from one publisher (the MQTT bridge is
    // measured at 20,000 msg/s sustained from a single client, issue 8), so a limit only stops a runaway client.
    public static final long DEFAULT_MESSAGES_PER_SECOND = 25_000;
    public static final long DEFAULT_MESSAGE_BURST = 50_000;
    public static final long DEFAULT_BYTES_PER_SECOND = 16L * 1024 * 1024;
    public static final long DEFAULT_BYTE_BURST = 64L * 1024 * 1024;
    public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 1000;
    public static final int DEFAULT_CONNECTIONS = 10_000;

    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_CHANNELS_PER_CONNECTION,
            DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST, DEFAULT_BYTES_PER_SECOND, DEFAULT_BYTE_BURST,
            DEFAULT_CONNECTIONS_PER_ADDRESS, DEFAULT_CONNECTIONS);

    /** Benchmarks and trusted set-ups: nothing is limited. */
    public static final ConnectionLimits NONE = new ConnectionLimits(0, 0, 0, 0, 0, 0, 0);

    public ConnectionLimits {
        nonNegative("skynet.server.limit.channels-per-connection", channelsPerConnection);
        nonNegative("skynet.server.limit.messages-per-second", messagesPerSecond);
        nonNegative("skynet.server.limit.message-burst", messageBurst);
        nonNegative("skynet.server.limit.bytes-per-second", bytesPerSecond);
        nonNegative("skynet.server.limit.byte-burst", byteBurst);
        nonNegative("skynet.server.limit.connections-per-address", connectionsPerAddress);
        nonNegative("skynet.server.limit.connections", connections);
        if (messagesPerSecond > 0 && messageBurst < 1) {
            throw new IllegalArgumentException("skynet.server.limit.message-burst must be at least 1 when"
                    + " skynet.server.limit.messages-per-second is set");
        }
        if (bytesPerSecond > 0 && byteBurst < 1) {
            throw new IllegalArgumentException("skynet.server.limit.byte-burst must be at least 1 when"
                    + " skynet.server.limit.bytes-per-second is set");
        }
    }

    private static void nonNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(key + " must be 0 (no limit) or more, got " + value);
        }
    }

    /** A frame of {@code maxFrameSize} bytes must fit in the byte bucket, or it would be refused forever. */
    void checkAgainst(int maxFrameSize) {
        if (bytesPerSecond > 0 && byteBurst < maxFrameSize) {
            throw new IllegalArgumentException("skynet.server.limit.byte-burst (" + byteBurst + ") must be at least"
                    + " skynet.server.max-frame-size (" + maxFrameSize + "): a message of the largest size could never"
                    + " be sent");
        }
    }

    public ConnectionLimits withChannelsPerConnection(int value) {
        return new ConnectionLimits(value, messagesPerSecond, messageBurst, bytesPerSecond, byteBurst,
                connectionsPerAddress, connections);
    }

    public ConnectionLimits withMessageRate(long perSecond, long burst) {
        return new ConnectionLimits(channelsPerConnection, perSecond, burst, bytesPerSecond, byteBurst,
                connectionsPerAddress, connections);
    }

    public ConnectionLimits withByteRate(long perSecond, long burst) {
        return new ConnectionLimits(channelsPerConnection, messagesPerSecond, messageBurst, perSecond, burst,
                connectionsPerAddress, connections);
    }

    public ConnectionLimits withConnections(int perAddress, int total) {
        return new ConnectionLimits(channelsPerConnection, messagesPerSecond, messageBurst, bytesPerSecond, byteBurst,
                perAddress, total);
    }
}
