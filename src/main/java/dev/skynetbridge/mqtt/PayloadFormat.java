package dev.skynetbridge.mqtt;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.cbor.CborWriter;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.util.Locale;

/**
 * How a Skynet payload is written into an MQTT message body (Skynet to MQTT) and read back from
 * one (MQTT to Skynet).
 */
public enum PayloadFormat {

    /**
     * The payload as JSON ({@link JsonValues}: UTF-8 byte strings as strings, other bytes as
     * {@code {"$bytes":"<base64>"}}). Reading: JSON becomes the value (an object arrives in Lua as a
     * table); a body that is not JSON arrives as text, or as bytes when it is not UTF-8.
     */
    JSON("application/json"),
    /** The payload as one CBOR item, exactly as Skynet v2 carries it. Reading: one CBOR item, else rejected. */
    CBOR("application/cbor"),
    /** Reading only: the body as a text string (bytes when it is not UTF-8). Writing: like JSON. */
    TEXT("text/plain"),
    /** Reading only: the body as a byte string, unchanged. Writing: like JSON. */
    BYTES("application/octet-stream");

    private final String contentType;

    PayloadFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The MQTT 5 content type of what {@link #encode} writes. */
    public String contentType() {
        return this == CBOR ? contentType : JSON.contentType;
    }

    public static PayloadFormat parse(String text, String optionName) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(optionName + " is '" + text + "'; expected json, cbor, text or bytes");
        }
    }

    /** The MQTT body for a Skynet payload. */
    public byte[] encode(Object payload) {
        if (this == CBOR) {
            return new CborWriter().writeValue(payload).toByteArray();
        }
        return JsonValues.toJsonBytes(payload);
    }

    /**
     * The Skynet payload for an MQTT body.
     *
     * @throws IllegalArgumentException when the body is not what this format reads (CBOR only)
     */
    public Object decode(byte[] body) {
        switch (this) {
            case CBOR -> {
                try {
                    CborReader reader = new CborReader(body);
                    Object value = reader.readValue();
                    if (!reader.atEnd()) {
                        throw new IllegalArgumentException("not one CBOR item: trailing data at byte "
                                + reader.position());
                    }
                    return value;
                } catch (ProtocolException e) {
                    throw new IllegalArgumentException("not CBOR: " + e.getMessage(), e);
                }
            }
            case BYTES -> {
                return body;
            }
            case TEXT -> {
                String text = CborReader.strictUtf8(body);
                return text != null ? text : body;
            }
            default -> {
                String text = CborReader.strictUtf8(body);
                if (text == null) {
                    return body;
                }
                if (JsonValues.looksLikeJson(body)) {
                    try {
                        return JsonValues.parse(body);
                    } catch (IOException notJson) {
                        return text;
                    }
                }
                return text;
            }
        }
    }
}
