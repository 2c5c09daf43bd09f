package dev.skynetbridge.protocol.v2;

import static dev.skynetbridge.protocol.cbor.CborConstants.*;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.SkynetTime;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.cbor.CborWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skynet v2: CBOR frames over a websocket, as the reference server (osmarks/skynet, Rust)
 * speaks them. Requests are {@code [type, argument]}; pushes are
 * {@code ["message", {channel, ...extra, message, time}]} with an indefinite-length inner map;
 * errors are {@code ["error", "deserialization_failure", detail]}.
 *
 * <p>Accepted besides the reference spellings: the public description's {@code send}, {@code
 * data} and {@code meta} (flattened to top-level keys).
 */
public final class V2Codec {

    public static final String DESERIALIZATION_FAILURE = "deserialization_failure";

    static final String TYPE_OPEN = "open";
    static final String TYPE_CLOSE = "close";
    static final String TYPE_MESSAGE = "message";
    static final String TYPE_SEND_ALIAS = "send";
    static final String TYPE_ERROR = "error";

    static final String KEY_CHANNEL = "channel";
    static final String KEY_MESSAGE = "message";
    static final String KEY_TIME = "time";
    static final String KEY_DATA_ALIAS = "data";
    static final String KEY_META_ALIAS = "meta";

    private static final String CHANNEL_MISMATCH = "data did not match any variant of untagged enum Channel";
    private static final String EXPECTED_VARIANTS = "expected one of `open`, `close`, `message`";

    /** {@code 82 67 "message" bf 67 "channel"}: every push starts with these bytes. */
    private static final byte[] PUSH_PREFIX = new CborWriter(16)
            .writeArrayHead(2).writeText(TYPE_MESSAGE).writeIndefiniteMapStart().writeText(KEY_CHANNEL).toByteArray();
    private static final byte[] MESSAGE_KEY = new CborWriter(8).writeText(KEY_MESSAGE).toByteArray();
    private static final byte[] TIME_KEY = new CborWriter(8).writeText(KEY_TIME).toByteArray();

    private V2Codec() {
    }

    // ---------------------------------------------------------------- server side

    /** Decodes one client frame (text and binary frames alike carry raw CBOR bytes). */
    public static V2Request decodeRequest(byte[] frame) throws ProtocolException {
        CborReader reader = new CborReader(frame);
        V2Request request = readRequest(reader);
        if (!reader.atEnd()) {
            throw new ProtocolException("trailing data at offset " + reader.position());
        }
        return request;
    }

    private static V2Request readRequest(CborReader reader) throws ProtocolException {
        int initial = reader.peekSkippingTags();
        int major = majorOf(initial);
        if (major == MAJOR_TEXT || major == MAJOR_BYTES) {
            String name = variantName(reader.readValue(1));
            if (name != null && variantIndex(name) >= 0) {
                throw new ProtocolException("invalid type: unit variant, expected newtype variant");
            }
            throw new ProtocolException("unknown variant `" + name + "`, " + EXPECTED_VARIANTS);
        }
        if (major == MAJOR_MAP) {
            throw new ProtocolException("invalid type: map, expected variant identifier");
        }
        if (major != MAJOR_ARRAY) {
            Object value = reader.readValue(1);
            throw new ProtocolException("invalid type: " + CborReader.describeValue(value)
                    + ", expected a request array [type, argument]");
        }
        long count = reader.readContainerHead(MAJOR_ARRAY);
        boolean indefinite = count < 0;
        if (count == 0 || (indefinite && reader.nextIsBreak())) {
            throw new ProtocolException("array too short at offset " + reader.position());
        }
        int variant = readVariant(reader);
        if (count == 1 || (indefinite && reader.nextIsBreak())) {
            throw new ProtocolException("array too short at offset " + reader.position());
        }
        V2Request request = switch (variant) {
            case 0 -> new V2Request.Open(readChannel(reader));
            case 1 -> new V2Request.Close(readChannel(reader));
            default -> new V2Request.Send(readMessageTable(reader));
        };
        if (indefinite) {
            if (!reader.nextIsBreak()) {
                throw new ProtocolException("trailing data at offset " + reader.position());
            }
            reader.readBreak();
        } else if (count > 2) {
            throw new ProtocolException("trailing data at offset " + reader.position());
        }
        return request;
    }

    /** 0 open, 1 close, 2 message; by name (text or UTF-8 bytes) or by serde variant index. */
    private static int readVariant(CborReader reader) throws ProtocolException {
        int initial = reader.peekSkippingTags();
        int major = majorOf(initial);
        Object value = reader.readValue(1);
        if (major == MAJOR_TEXT || major == MAJOR_BYTES) {
            String name = variantName(value);
            int index = name == null ? -1 : variantIndex(name);
            if (index < 0) {
                throw new ProtocolException("unknown variant `" + (name == null ? "<invalid UTF-8>" : name) + "`, "
                        + EXPECTED_VARIANTS);
            }
            return index;
        }
        if (major == MAJOR_UNSIGNED || major == MAJOR_NEGATIVE) {
            if (value instanceof Long index && index >= 0 && index < 3) {
                return index.intValue();
            }
            throw new ProtocolException("invalid value: integer `" + value + "`, expected variant index 0 <= i < 3");
        }
        throw new ProtocolException("invalid type: " + CborReader.describeValue(value) + ", expected variant identifier");
    }

    private static String variantName(Object value) {
        return value instanceof byte[] bytes ? CborReader.strictUtf8(bytes) : (String) value;
    }

    private static int variantIndex(String name) {
        return switch (name) {
            case TYPE_OPEN -> 0;
            case TYPE_CLOSE -> 1;
            case TYPE_MESSAGE, TYPE_SEND_ALIAS -> 2;
            default -> -1;
        };
    }

    private static Channel readChannel(CborReader reader) throws ProtocolException {
        return channelOf(reader.readValue(2));
    }

    /** A channel from a decoded CBOR value; UTF-8 byte strings count as text, as in the reference. */
    static Channel channelOf(Object value) throws ProtocolException {
        if (value instanceof Long number) {
            return Channel.of(number);
        }
        if (value instanceof String name) {
            return Channel.of(name);
        }
        if (value instanceof byte[] bytes) {
            String name = CborReader.strictUtf8(bytes);
            if (name != null) {
                return Channel.of(name);
            }
        }
        throw new ProtocolException(CHANNEL_MISMATCH);
    }

    private static SkynetMessage readMessageTable(CborReader reader) throws ProtocolException {
        int initial = reader.peekSkippingTags();
        if (majorOf(initial) != MAJOR_MAP) {
            Object value = reader.readValue(2);
            throw new ProtocolException("invalid type: " + CborReader.describeValue(value) + ", expected struct RawMsg");
        }
        long count = reader.readContainerHead(MAJOR_MAP);
        Channel channel = null;
        boolean hasMessage = false;
        Object payload = null;
        Map<String, Object> extras = new LinkedHashMap<>();
        for (long i = 0; count < 0 ? !reader.nextIsBreak() : i < count; i++) {
            Object key = reader.readValue(2);
            String name = key instanceof byte[] bytes ? CborReader.strictUtf8(bytes) : null;
            if (key instanceof String text) {
                name = text;
            } else if (name == null) {
                throw new ProtocolException("invalid type: " + CborReader.describeValue(key) + ", expected a string");
            }
            switch (name) {
                case KEY_CHANNEL -> {
                    if (channel != null) {
                        throw new ProtocolException("duplicate field `channel`");
                    }
                    channel = readChannel(reader);
                }
                case KEY_MESSAGE -> {
                    if (hasMessage) {
                        throw new ProtocolException("duplicate field `message`");
                    }
                    payload = reader.readValue(2);
                    hasMessage = true;
                }
                default -> extras.put(name, reader.readValue(2));
            }
        }
        if (count < 0) {
            reader.readBreak();
        }
        if (channel == null) {
            throw new ProtocolException("missing field `channel`");
        }
        if (!hasMessage) {
            if (!extras.containsKey(KEY_DATA_ALIAS)) {
                throw new ProtocolException("missing field `message`");
            }
            payload = extras.remove(KEY_DATA_ALIAS);
        }
        return new SkynetMessage(channel, payload, flattenMeta(extras), null, null);
    }

    /** The public description's {@code meta} table becomes top-level keys, where the reference keeps them. */
    private static Map<String, Object> flattenMeta(Map<String, Object> extras) {
        if (!(extras.get(KEY_META_ALIAS) instanceof Map<?, ?> meta)
                || !meta.keySet().stream().allMatch(k -> k instanceof String)) {
            return extras;
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : extras.entrySet()) {
            if (KEY_META_ALIAS.equals(entry.getKey())) {
                meta.forEach((k, v) -> flat.put((String) k, v));
            } else {
                flat.put(entry.getKey(), entry.getValue());
            }
        }
        return flat;
    }

    /**
     * Encodes a push exactly as the reference does: key order channel, extra keys, message,
     * time, in an indefinite-length map. A client's own {@code time} key is relayed as an extra
     * key, so the push then holds {@code time} twice, as the reference's does.
     */
    public static byte[] encodePush(SkynetMessage message) {
        Instant time = message.time() == null ? Instant.now() : message.time();
        CborWriter writer = new CborWriter(64);
        writer.writeEncoded(PUSH_PREFIX);
        writer.writeValue(message.channel().value());
        for (Map.Entry<String, Object> extra : message.extras().entrySet()) {
            writer.writeText(extra.getKey());
            writer.writeValue(extra.getValue());
        }
        writer.writeEncoded(MESSAGE_KEY);
        writer.writeValue(message.payload());
        writer.writeEncoded(TIME_KEY);
        writer.writeText(SkynetTime.formatRfc3339(time));
        writer.writeBreak();
        return writer.toByteArray();
    }

    public static byte[] encodeError(String detail) {
        return encodeError(DESERIALIZATION_FAILURE, detail);
    }

    /** {@code ["error", kind, detail]}: the reference's error form with another kind (access_denied, rate_limited). */
    public static byte[] encodeError(String kind, String detail) {
        return new CborWriter(32 + kind.length() + detail.length())
                .writeArrayHead(3).writeText(TYPE_ERROR).writeText(kind).writeText(detail)
                .toByteArray();
    }

    // ---------------------------------------------------------------- client side

    public static byte[] encodeOpen(Channel channel) {
        return new CborWriter(16).writeArrayHead(2).writeText(TYPE_OPEN).writeValue(channel.value()).toByteArray();
    }

    public static byte[] encodeClose(Channel channel) {
        return new CborWriter(16).writeArrayHead(2).writeText(TYPE_CLOSE).writeValue(channel.value()).toByteArray();
    }

    /** {@code ["message", {channel, message, ...extra}]} in the reference spelling, definite lengths. */
    public static byte[] encodeSend(SkynetMessage message) {
        CborWriter writer = new CborWriter(64);
        writer.writeArrayHead(2).writeText(TYPE_MESSAGE);
        Map<String, Object> extras = message.extras();
        writer.writeHead(MAJOR_MAP, 2L + extras.size());
        writer.writeText(KEY_CHANNEL).writeValue(message.channel().value());
        writer.writeText(KEY_MESSAGE).writeValue(message.payload());
        for (Map.Entry<String, Object> extra : extras.entrySet()) {
            writer.writeText(extra.getKey()).writeValue(extra.getValue());
        }
        return writer.toByteArray();
    }

    /** Decodes what a server sends a client: a push or an error. */
    public static V2ServerFrame decodeServerFrame(byte[] frame) throws ProtocolException {
        CborReader reader = new CborReader(frame);
        Object value = reader.readValue();
        if (!reader.atEnd()) {
            throw new ProtocolException("trailing data at offset " + reader.position());
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new ProtocolException("a server frame is an array [\"message\", {...}] or [\"error\", kind, detail], not "
                    + CborReader.describeValue(value));
        }
        Object type = list.get(0) instanceof byte[] bytes ? CborReader.strictUtf8(bytes) : list.get(0);
        if (TYPE_ERROR.equals(type)) {
            return new V2ServerFrame.Error(list.size() > 1 ? String.valueOf(list.get(1)) : "",
                    list.size() > 2 ? String.valueOf(list.get(2)) : "");
        }
        if (!TYPE_MESSAGE.equals(type) || list.size() != 2 || !(list.get(1) instanceof Map<?, ?> table)) {
            throw new ProtocolException("unknown server frame: " + CborReader.describeValue(type)
                    + " (expected [\"message\", {...}] or [\"error\", ...])");
        }
        return new V2ServerFrame.Push(pushMessage(table));
    }

    private static SkynetMessage pushMessage(Map<?, ?> table) throws ProtocolException {
        if (!table.containsKey(KEY_CHANNEL)) {
            throw new ProtocolException("pushed message has no channel");
        }
        Channel channel = channelOf(table.get(KEY_CHANNEL));
        Instant time = null;
        Map<String, Object> extras = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : table.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                continue;
            }
            switch (key) {
                case KEY_CHANNEL, KEY_MESSAGE -> {
                }
                case KEY_TIME -> time = timeOf(entry.getValue());
                default -> extras.put(key, entry.getValue());
            }
        }
        return new SkynetMessage(channel, table.get(KEY_MESSAGE), extras, time, null);
    }

    /** Reference servers send RFC 3339 text; the public description says a UNIX timestamp: read both. */
    private static Instant timeOf(Object value) {
        if (value instanceof String text) {
            return SkynetTime.parseRfc3339(text);
        }
        if (value instanceof Long seconds) {
            return Instant.ofEpochSecond(seconds);
        }
        if (value instanceof Double seconds) {
            return Instant.ofEpochMilli(Math.round(seconds * 1000));
        }
        return null;
    }
}
