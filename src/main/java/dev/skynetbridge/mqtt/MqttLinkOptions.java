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
 */
public record MqttLinkOptions(int bufferSize, long reconnectInitialDelayMillis, long reconnectMaxDelayMillis,
                              int connectTimeoutSeconds, int keepAliveSeconds, String username, String password,
                              String shareGroup) {

    public MqttLinkOptions(int bufferSize, long reconnectInitialDelayMillis, long reconnectMaxDelayMillis,
            int connectTimeoutSeconds, int keepAliveSeconds, String username, String password) {
        this(bufferSize, reconnectInitialDelayMillis, reconnectMaxDelayMillis, connectTimeoutSeconds, keepAliveSeconds,
                username, password, null);
    }

    public MqttLinkOptions {
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

    @Override
    public String toString() {
        // never the password
        return "MqttLinkOptions[bufferSize=" + bufferSize + ", reconnect=" + reconnectInitialDelayMillis + ".."
               + reconnectMaxDelayMillis + " ms, user=" + username + "]";
    }
}
