package dev.skynetbridge.camel.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skynetbridge.protocol.rpc.BsonValues;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import org.apache.camel.Message;
import org.bson.BsonDocument;

/**
 * Turns a Camel message body into the BSON parameter document of a call or reply: a {@code Map} of plain values, a
 * {@link BsonDocument}, JSON object text ({@code String} or UTF-8 {@code byte[]}), or nothing (an empty document).
 * Other body types go through Camel's converters to {@code String} and are read as JSON.
 */
final class SkynetRpcBodies {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {
    };

    private SkynetRpcBodies() {
    }

    /**
     * @throws IllegalArgumentException with a message saying what was wrong with the body
     */
    static byte[] toBsonDocument(Message message) {
        Object body = message.getBody();
        if (body == null) {
            return RpcCodec.emptyDocument();
        }
        if (body instanceof Map<?, ?> map) {
            return BsonValues.toBytes(map);
        }
        if (body instanceof BsonDocument document) {
            return BsonValues.encodeDocument(document);
        }
        if (body instanceof byte[] bytes) {
            return fromJson(new String(bytes, StandardCharsets.UTF_8));
        }
        String text = body instanceof String string ? string : message.getBody(String.class);
        if (text == null) {
            throw new IllegalArgumentException("body of type " + body.getClass().getName()
                    + " cannot become a BSON document: use a Map or JSON object text");
        }
        return fromJson(text);
    }

    private static byte[] fromJson(String json) {
        if (json.isBlank()) {
            return RpcCodec.emptyDocument();
        }
        Map<String, Object> map;
        try {
            map = JSON.readValue(json, MAP_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not a JSON object, so it cannot become a BSON document: "
                    + e.getOriginalMessage(), e);
        }
        return BsonValues.toBytes(map == null ? Map.of() : map);
    }
}
