package dev.skynetbridge.bridge.mqtt;

import dev.skynetbridge.protocol.Channel;
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
public final class BridgeProperties {

    public static final String CHANNEL = "skynet-channel";
    public static final String EXTRAS = "skynet-extras";
    public static final String MESSAGE_ID = "skynet-message-id";
    public static final String TIME = "skynet-time";
    public static final String BRIDGE_ID = "skynet-bridge-id";
    public static final String HOPS = "skynet-hops";

    /** The Skynet extra key that carries the hop count. */
    public static final String HOPS_EXTRA_KEY = "bridge_hops";

    private BridgeProperties() {
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
            properties.put(TIME, timeText(time));
        }
        properties.put(BRIDGE_ID, bridgeId);
        properties.put(HOPS, Long.toString(hops));
        return properties;
    }

    /** The text of the last second formatted: messages come many per second, so the date part is reused. */
    private record SecondText(long epochSecond, String text) {
    }

    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");

    /**
     * Exactly {@link Instant#toString()} (ISO-8601, fraction in groups of three digits, as many as needed),
     * without a {@code DateTimeFormatter} run per message: that was a few per cent of the bridge's CPU.
     */
    static String timeText(Instant time) {
        long second = time.getEpochSecond();
        SecondText cached = lastSecond;
        if (cached.epochSecond != second) {
            String full = time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            if (full.length() != 20) {
                return time.toString(); // a year outside 0000-9999: rare, take the slow path
            }
            cached = new SecondText(second, full.substring(0, 19));
            lastSecond = cached;
        }
        int nanos = time.getNano();
        if (nanos == 0) {
            return cached.text + 'Z';
        }
        StringBuilder text = new StringBuilder(30).append(cached.text).append('.');
        if (nanos % 1_000_000 == 0) {
            appendPadded(text, nanos / 1_000_000, 3);
        } else if (nanos % 1_000 == 0) {
            appendPadded(text, nanos / 1_000, 6);
        } else {
            appendPadded(text, nanos, 9);
        }
        return text.append('Z').toString();
    }

    private static void appendPadded(StringBuilder text, int value, int digits) {
        String number = Integer.toString(value);
        for (int i = number.length(); i < digits; i++) {
            text.append('0');
        }
        text.append(number);
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
