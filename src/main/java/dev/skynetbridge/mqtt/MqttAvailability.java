package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import java.util.Objects;

/**
 * Where an {@link MqttLink} says whether its bridge is up, the way Home Assistant, Zigbee2MQTT and ESPHome do it:
 * a retained {@code online} on the topic after every (re)connect, an MQTT last will that makes the broker publish a
 * retained {@code offline} there when the connection dies, and a retained {@code offline} published by the link
 * itself before a clean disconnect (a clean DISCONNECT discards the will).
 *
 * @param topic   the status topic; empty turns availability off
 * @param online  the payload while connected
 * @param offline the payload once the bridge is gone
 */
public record MqttAvailability(String topic, String online, String offline) {

    /** The payloads Home Assistant expects by default ({@code payload_available} / {@code payload_not_available}). */
    public static final String DEFAULT_ONLINE = "online";
    public static final String DEFAULT_OFFLINE = "offline";
    /** The status topic's last level below the bridge's topic prefix. */
    public static final String DEFAULT_TOPIC_LEVEL = "status";

    private static final MqttAvailability OFF = new MqttAvailability("", DEFAULT_ONLINE, DEFAULT_OFFLINE);

    /**
     * @throws IllegalArgumentException if the topic is not one a client may publish to ({@code +} and {@code #}
     *     are not allowed) or a payload is missing
     */
    public MqttAvailability {
        Objects.requireNonNull(topic, "topic");
        if (!topic.isEmpty()) {
            try {
                MqttTopic.of(topic);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("statusTopic '" + topic + "' is not a topic one can publish to: "
                        + e.getMessage() + " (give a plain topic such as skynet/status, or empty for none)");
            }
            if (online == null || online.isEmpty() || offline == null || offline.isEmpty()) {
                throw new IllegalArgumentException("statusOnline and statusOffline must not be empty");
            }
            if (online.equals(offline)) {
                throw new IllegalArgumentException("statusOnline and statusOffline are both '" + online
                        + "'; they must differ");
            }
        }
    }

    /** No status topic, no last will. */
    public static MqttAvailability off() {
        return OFF;
    }

    /** The default status topic of a bridge: {@code <topicPrefix>/status}, or {@code status} with no prefix. */
    public static String defaultTopic(String topicPrefix) {
        return topicPrefix == null || topicPrefix.isEmpty() ? DEFAULT_TOPIC_LEVEL
                : topicPrefix + "/" + DEFAULT_TOPIC_LEVEL;
    }

    public boolean enabled() {
        return !topic.isEmpty();
    }
}
