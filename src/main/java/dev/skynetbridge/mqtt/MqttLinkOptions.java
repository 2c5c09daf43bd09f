package dev.skynetbridge.mqtt;

/**
 * Connection and outbox settings of an {@link MqttLink}; validated on construction.
 *
 * @param bufferSize messages the outbox holds while the broker is slow or unreachable
 * @param reconnectInitialDelayMillis first reconnect delay; doubles per failure (with jitter)
 * @param reconnectMaxDelayMillis longest reconnect delay
 * @param connectTimeoutSeconds how long one connection attempt may take
 * @param keepAliveSeconds MQTT keep-alive: how soon a silently dead connection is noticed
 * @param username broker user name, or null
 * @param password broker password, or null
 * @param shareGroup subscribe as a member of this MQTT 5 shared subscription group ({@code $share/<group>/...}: the
 *     broker gives each message to one member, e.g. one gateway of a cluster), or null for plain subscriptions
 * @param inboundQueueSize incoming QoS 0 messages held while the route from MQTT is slower than they arrive (the HiveMQ
 *     client bounds that queue by the MQTT 5 Receive Maximum the link announces, so this is that too: 1 to
 *     {@value #MAX_INBOUND_QUEUE_SIZE}); past it the client drops the oldest (counted by {@link InboundQos0Drops})
 */
public record MqttLinkOptions(int bufferSize, long reconnectInitialDelayMillis, long reconnectMaxDelayMillis,
                              int connectTimeoutSeconds, int keepAliveSeconds, String username, String password,
                              String shareGroup, int inboundQueueSize) {

    /**
     * Enough for a cold start: the bridge's route runs slowly for the first seconds (the JIT), while a publisher may
     * send 5,000 msg/s from the moment health is UP; 1,024 (the old fixed value) lost ~7,000 of such a burst. A full queue
     * of small messages took 17 MiB of heap (about 0.35 KiB each, BENCHMARKS.md); larger bodies add their size.
     */
    public static final int DEFAULT_INBOUND_QUEUE_SIZE = 50_000;
    /** MQTT 5's largest Receive Maximum (a two-byte number). */
    public static final int MAX_INBOUND_QUEUE_SIZE = 65_535;

    public MqttLinkOptions(int bufferSize, long reconnectInitialDelayMillis, long reconnectMaxDelayMillis,
            int connectTimeoutSeconds, int keepAliveSeconds, String username, String password) {
        this(bufferSize, reconnectInitialDelayMillis, reconnectMaxDelayMillis, connectTimeoutSeconds, keepAliveSeconds,
                username, password, null);
    }

    public MqttLinkOptions(int bufferSize, long reconnectInitialDelayMillis, long reconnectMaxDelayMillis,
            int connectTimeoutSeconds, int keepAliveSeconds, String username, String password, String shareGroup) {
        this(bufferSize, reconnectInitialDelayMillis, reconnectMaxDelayMillis, connectTimeoutSeconds, keepAliveSeconds,
                username, password, shareGroup, DEFAULT_INBOUND_QUEUE_SIZE);
    }

    public MqttLinkOptions {
        requireInboundQueueSize(inboundQueueSize);
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
        }
        if (reconnectInitialDelayMillis < 1 || reconnectMaxDelayMillis < reconnectInitialDelayMillis) {
            throw new IllegalArgumentException("reconnect delays need 1 <= initial <= max, got "
                    + reconnectInitialDelayMillis + " and " + reconnectMaxDelayMillis);
        }
        if (connectTimeoutSeconds < 1 || keepAliveSeconds < 0) {
            throw new IllegalArgumentException("connect timeout must be >= 1 s and keep-alive >= 0 s");
        }
        if (shareGroup != null && (shareGroup.isEmpty() || shareGroup.matches(".*[/+#].*"))) {
            throw new IllegalArgumentException("a shared subscription group is a non-empty name without / + #, got '"
                    + shareGroup + "'");
        }
    }

    /** Returns {@code size} if it is a valid {@link #inboundQueueSize()}, else throws saying the range. */
    public static int requireInboundQueueSize(int size) {
        if (size < 1 || size > MAX_INBOUND_QUEUE_SIZE) {
            throw new IllegalArgumentException("inboundQueueSize must be 1.." + MAX_INBOUND_QUEUE_SIZE + " (the MQTT 5"
                    + " Receive Maximum), got " + size);
        }
        return size;
    }

    /** These options with another {@link #inboundQueueSize()}. */
    public MqttLinkOptions withInboundQueueSize(int size) {
        return new MqttLinkOptions(bufferSize, reconnectInitialDelayMillis, reconnectMaxDelayMillis,
                connectTimeoutSeconds, keepAliveSeconds, username, password, shareGroup, size);
    }

    @Override
    public String toString() {
        // never the password
        return "MqttLinkOptions[bufferSize=" + bufferSize + ", reconnect=" + reconnectInitialDelayMillis + ".."
               + reconnectMaxDelayMillis + " ms, inboundQueueSize=" + inboundQueueSize + ", user=" + username + "]";
    }
}
