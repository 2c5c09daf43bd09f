package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.util.Map;

/**
 * The body of {@code POST /api/send}: {@code {"channel": 42, "payload": ...}} or {@code {"channel": "door", ...}}.
 * The JSON type decides the channel's kind, so 42 and "42" are two channels and neither is guessed.
 */
record SendRequest(Channel channel, Object payload) {

    static final String FORM = "{\"channel\": 42 or \"name\", \"payload\": any JSON}";

    /** @throws IllegalArgumentException with the one message the caller shows: what is wrong and what to send */
    static SendRequest parse(String body) {
        Object parsed;
        try {
            parsed = JsonValues.parse(body == null ? "" : body);
        } catch (IOException e) {
            String problem = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() + (json.getLocation() == null ? ""
                            : " at " + json.getLocation().offsetDescription()) : e.getMessage();
            throw new IllegalArgumentException("The body is not JSON (" + problem + "): send " + FORM);
        }
        if (!(parsed instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("The body must be a JSON object: " + FORM);
        }
        if (!fields.containsKey("channel")) {
            throw new IllegalArgumentException("The body has no \"channel\": " + FORM);
        }
        if (!fields.containsKey("payload")) {
            throw new IllegalArgumentException("The body has no \"payload\" (null is allowed): " + FORM);
        }
        Object channel = fields.get("channel");
        if (!(channel instanceof Long) && !(channel instanceof String)) {
            throw new IllegalArgumentException("\"channel\" must be a whole number from -2^63 to 2^63-1 (a numeric"
                    + " channel, written 42) or a string (a named channel, written \"door\"), not " + JsonValues.toJson(
                    channel instanceof java.math.BigInteger ? channel.toString() : channel));
        }
        return new SendRequest(Channel.fromValue(channel), fields.get("payload"));
    }

    SkynetMessage message() {
        return SkynetMessage.of(channel, payload);
    }
}
