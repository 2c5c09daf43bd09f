package dev.skynetbridge.camel;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.NoTypeConversionAvailableException;

/** Turns a Camel message body into a Skynet payload value. */
final class PayloadConversion {

    private PayloadConversion() {
    }

    /**
     * @param parseJson true: text or bytes that hold JSON become the parsed value, other UTF-8
     *     bytes become text (so a JSON command published on MQTT arrives in Lua as a table);
     *     false: text stays text and bytes stay a byte string
     */
    static Object toPayload(Exchange exchange, Object body, boolean parseJson) throws InvalidPayloadException {
        if (body == null || body instanceof Map || body instanceof Collection || body instanceof Boolean
                || body instanceof Long || body instanceof Integer || body instanceof Short || body instanceof Byte
                || body instanceof Double || body instanceof Float || body instanceof BigInteger
                || body instanceof BigDecimal || body instanceof Object[]) {
            return body;
        }
        if (body instanceof CborBytes cbor) {
            try {
                CborReader reader = new CborReader(cbor.bytes());
                Object value = reader.readValue();
                if (!reader.atEnd()) {
                    throw new ProtocolException("trailing data at offset " + reader.position());
                }
                return value;
            } catch (ProtocolException e) {
                throw new InvalidPayloadException(exchange, CborBytes.class, exchange.getMessage(),
                        new IllegalArgumentException("The CborBytes body is not one CBOR item: " + e.getMessage()));
            }
        }
        if (body instanceof CharSequence text) {
            String string = text.toString();
            return parseJson ? jsonOr(string, string) : string;
        }
        byte[] bytes = body instanceof byte[] b ? b : toBytes(exchange, body);
        if (!parseJson) {
            return bytes;
        }
        String text = CborReader.strictUtf8(bytes);
        if (text == null) {
            return bytes;
        }
        return jsonOr(text, text);
    }

    private static Object jsonOr(String text, Object fallback) {
        if (!JsonValues.looksLikeJson(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return fallback;
        }
        try {
            return JsonValues.parse(text);
        } catch (IOException notJson) {
            return fallback;
        }
    }

    private static byte[] toBytes(Exchange exchange, Object body) throws InvalidPayloadException {
        try {
            return exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body);
        } catch (NoTypeConversionAvailableException e) {
            throw new InvalidPayloadException(exchange, byte[].class, exchange.getMessage(),
                    new IllegalArgumentException("A Skynet payload is a Map, List, String, number, Boolean, byte[],"
                            + " CborBytes or null; cannot use a " + body.getClass().getName()));
        }
    }
}
