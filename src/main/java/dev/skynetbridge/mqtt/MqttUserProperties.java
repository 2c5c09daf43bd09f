package dev.skynetbridge.mqtt;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetTime;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MQTT 5 user properties the bridge writes on every message it publishes, and how it reads
 * them on messages it receives (including its loop guards).
 *
 * <pre>
 *   skynet-channel     the channel, canonical: n:42 (numeric) or s:foo (string)
 *   skynet-extras      the message's extra Skynet keys as a JSON object (absent when none)
 *   skynet-message-id  the Skynet message id
 *   skynet-time        when the Skynet server accepted the message (ISO-8601), when known
 *   skynet-bridge-id   the bridge that published it: its own inbound side ignores such messages
 *   skynet-hops        how many bridges the message has crossed before this publish
 * </pre>
 *
 * <p>On the Skynet side the hop count travels as the extra key {@value #HOPS_EXTRA_KEY}: a message a
 * bridge hands to Skynet carries {@code bridge_hops = skynet-hops + 1}, and a bridge publishing a
 * message from Skynet copies it into {@code skynet-hops}. A message whose count would exceed the
 * limit is not handed on; that is the last guard against loops through several gateways.
 */
public final class MqttUserProperties {

    public static final String CHANNEL = "skynet-channel";
    public static final String EXTRAS = "skynet-extras";
    public static final String MESSAGE_ID = "skynet-message-id";
    public static final String TIME = "skynet-time";
    public static final String BRIDGE_ID = "skynet-bridge-id";
    public static final String HOPS = "skynet-hops";

    /** The Skynet extra key that carries the hop count. */
    public static final String HOPS_EXTRA_KEY = "bridge_hops";

    private MqttUserProperties() {
    }

    /** The user properties for a message from Skynet, in a stable order. */
    public static Map<String, String> outbound(Channel channel, Map<String, Object> extras, String messageId,
            Instant time, String bridgeId) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CHANNEL, channel.canonical());
        long hops = 0;
        if (extras != null && !extras.isEmpty()) {
            Map<String, Object> userExtras = new LinkedHashMap<>(extras);
            Object carried = userExtras.remove(HOPS_EXTRA_KEY);
            if (carried instanceof Number number) {
                hops = Math.max(0, number.longValue());
            }
            if (!userExtras.isEmpty()) {
                properties.put(EXTRAS, JsonValues.toJson(userExtras));
            }
        }
        if (messageId != null) {
            properties.put(MESSAGE_ID, messageId);
        }
        if (time != null) {
            properties.put(TIME, SkynetTime.formatRfc3339(time));
        }
        properties.put(BRIDGE_ID, bridgeId);
        properties.put(HOPS, Long.toString(hops));
        return properties;
    }

    /** What to do with a received message, decided from its user properties. */
    public sealed interface Inbound {
        /** Hand it to Skynet with these extra keys (the user's extras plus the new hop count). */
        record Accept(Map<String, Object> extras) implements Inbound {
        }

        /** This bridge published it: not handed back (a loop). */
        record OwnMessage() implements Inbound {
        }

        /** It has crossed too many bridges. */
        record TooManyHops(long hops) implements Inbound {
        }
    }

    /**
     * @param properties the received user properties (last value wins for a repeated key)
     * @param ownBridgeId this bridge's id
     * @param maxHops the most bridges a message may have crossed when handed to Skynet
     */
    public static Inbound inbound(Map<String, String> properties, String ownBridgeId, int maxHops) {
        if (ownBridgeId.equals(properties.get(BRIDGE_ID))) {
            return new Inbound.OwnMessage();
        }
        long hops = 1;
        String carried = properties.get(HOPS);
        if (carried != null) {
            try {
                hops = Math.max(0, Long.parseLong(carried.trim())) + 1;
            } catch (NumberFormatException ignored) {
                hops = 1; // written by someone else; counts as a first hop
            }
        }
        if (hops > maxHops) {
            return new Inbound.TooManyHops(hops);
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        String json = properties.get(EXTRAS);
        if (json != null) {
            try {
                if (JsonValues.parse(json) instanceof Map<?, ?> map) {
                    map.forEach((key, value) -> extras.put(String.valueOf(key), value));
                }
            } catch (IOException notJson) {
                // not ours to reject: the payload still goes through, without the extras
            }
        }
        extras.put(HOPS_EXTRA_KEY, hops);
        return new Inbound.Accept(extras);
    }
}
