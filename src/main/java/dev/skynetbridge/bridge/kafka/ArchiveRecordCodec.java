package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.SkynetTime;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The archive's record layout, both ways. Pure: no Kafka client, no Camel.
 *
 * <ul>
 *   <li>key: the canonical channel text ({@code n:42}, {@code s:foo});
 *   <li>value, {@link ArchiveValueFormat#CBOR}: {@link V2Codec#encodePush}, byte for byte what the
 *       gateway's v2 clients received for the message;
 *   <li>value, {@link ArchiveValueFormat#JSON}: {@code {"channel","message","time","id","extras"}}
 *       through {@link JsonValues}; extras are nested so an extra key named {@code id} or
 *       {@code time} cannot collide with ours;
 *   <li>headers (UTF-8 text): {@code skynet-channel}, {@code skynet-time} (RFC 3339),
 *       {@code skynet-id}, {@code skynet-format} ({@code cbor-v2-push} | {@code json}) and, only
 *       when the message has extra keys, {@code skynet-extras} (one JSON object, so key order and
 *       value types survive, which one header per key could not promise for nested values).
 * </ul>
 *
 * <p>The value alone is enough to replay a record; the headers let tools filter without
 * decoding it.
 */
public final class ArchiveRecordCodec {

    public static final String HEADER_CHANNEL = "skynet-channel";
    public static final String HEADER_TIME = "skynet-time";
    public static final String HEADER_ID = "skynet-id";
    public static final String HEADER_FORMAT = "skynet-format";
    public static final String HEADER_EXTRAS = "skynet-extras";

    static final String JSON_CHANNEL = "channel";
    static final String JSON_MESSAGE = "message";
    static final String JSON_TIME = "time";
    static final String JSON_ID = "id";
    static final String JSON_EXTRAS = "extras";

    private ArchiveRecordCodec() {
    }

    /** @param message a message as the hub delivered it (with its time; an id when it has one) */
    public static ArchiveRecord encode(SkynetMessage message, ArchiveValueFormat format) {
        if (message.time() == null) {
            throw new IllegalArgumentException("An archived message needs the time the server accepted it");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_CHANNEL, message.channel().canonical());
        headers.put(HEADER_TIME, SkynetTime.formatRfc3339(message.time()));
        if (message.id() != null) {
            headers.put(HEADER_ID, message.id());
        }
        headers.put(HEADER_FORMAT, format.headerValue());
        if (!message.extras().isEmpty()) {
            headers.put(HEADER_EXTRAS, JsonValues.toJson(message.extras()));
        }
        byte[] value = format == ArchiveValueFormat.CBOR ? V2Codec.encodePush(message) : JsonValues.toJsonBytes(jsonObject(message));
        return new ArchiveRecord(message.channel().canonical(), value, headers, message.time().toEpochMilli());
    }

    private static Map<String, Object> jsonObject(SkynetMessage message) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put(JSON_CHANNEL, message.channel().canonical());
        object.put(JSON_MESSAGE, message.payload());
        object.put(JSON_TIME, SkynetTime.formatRfc3339(message.time()));
        if (message.id() != null) {
            object.put(JSON_ID, message.id());
        }
        if (!message.extras().isEmpty()) {
            object.put(JSON_EXTRAS, message.extras());
        }
        return object;
    }

    /**
     * Reads an archived record back into the message. The format comes from the
     * {@code skynet-format} header, or, without it, from the first byte (a CBOR array or a JSON
     * object); the id from the value (JSON) or the {@code skynet-id} header (CBOR).
     *
     * @param headers record headers as text (null or empty when there are none)
     * @throws ProtocolException when the value is neither layout
     */
    public static SkynetMessage decode(byte[] value, Map<String, String> headers) throws ProtocolException {
        if (value == null || value.length == 0) {
            throw new ProtocolException("empty record value: an archive record holds a v2 push (CBOR) or a JSON object");
        }
        Map<String, String> safeHeaders = headers == null ? Map.of() : headers;
        ArchiveValueFormat format = ArchiveValueFormat.fromHeader(safeHeaders.get(HEADER_FORMAT));
        if (format == null) {
            format = value[0] == '{' || value[0] == ' ' ? ArchiveValueFormat.JSON : ArchiveValueFormat.CBOR;
        }
        return format == ArchiveValueFormat.CBOR ? decodePush(value, safeHeaders.get(HEADER_ID)) : decodeJson(value);
    }

    private static SkynetMessage decodePush(byte[] value, String id) throws ProtocolException {
        V2ServerFrame frame = V2Codec.decodeServerFrame(value);
        if (!(frame instanceof V2ServerFrame.Push push)) {
            throw new ProtocolException("the record value is a v2 error frame, not a message push");
        }
        SkynetMessage message = push.message();
        return id == null ? message : message.stamped(message.time(), id);
    }

    private static SkynetMessage decodeJson(byte[] value) throws ProtocolException {
        Object parsed;
        try {
            parsed = JsonValues.parse(value);
        } catch (IOException e) {
            throw new ProtocolException("the record value is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> object) || !(object.get(JSON_CHANNEL) instanceof String channelText)
                || !object.containsKey(JSON_MESSAGE)) {
            throw new ProtocolException("a JSON archive record is an object with \"channel\" (n:42 or s:foo) and"
                    + " \"message\"");
        }
        Channel channel;
        try {
            channel = Channel.parseCanonical(channelText);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
        Instant time = object.get(JSON_TIME) instanceof String text ? SkynetTime.parseRfc3339(text) : null;
        String id = object.get(JSON_ID) instanceof String text ? text : null;
        Map<String, Object> extras = new LinkedHashMap<>();
        if (object.get(JSON_EXTRAS) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> extras.put(String.valueOf(k), v));
        }
        return new SkynetMessage(channel, object.get(JSON_MESSAGE), extras, time, id);
    }

    /** Header text as it goes on the wire. */
    public static byte[] headerBytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
