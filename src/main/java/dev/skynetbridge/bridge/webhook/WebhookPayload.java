package dev.skynetbridge.bridge.webhook;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.json.JsonValues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default JSON body of an outgoing webhook, shaped as the Standard Webhooks spec recommends
 * ({@code type}, {@code timestamp}, {@code data}):
 *
 * <pre>
 * {"type":"skynet.message","timestamp":"2024-05-01T12:00:00Z",
 *  "data":{"id":"...","channel":42,"message":{...},"extras":{...}}}
 * </pre>
 *
 * {@code channel} is a JSON number for numeric channels and a JSON string for string channels,
 * so {@code 42} and {@code "42"} stay distinct. {@code extras} (the message's other top-level
 * keys) is present only when there are some. Payload values map to JSON through
 * {@link JsonValues}. Pure.
 */
public final class WebhookPayload {

    public static final String TYPE = "skynet.message";

    private WebhookPayload() {
    }

    public static byte[] toJson(Channel channel, Object message, Map<String, Object> extras, Instant time, String id) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("channel", channel.value());
        data.put("message", message);
        if (extras != null && !extras.isEmpty()) {
            data.put("extras", extras);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE);
        body.put("timestamp", time == null ? null : time.toString());
        body.put("data", data);
        return JsonValues.toJsonBytes(body);
    }
}
