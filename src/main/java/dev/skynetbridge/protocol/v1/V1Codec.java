package dev.skynetbridge.protocol.v1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skynet v1: one JSON object per text frame with a {@code type} key, as the 2018 Node server
 * speaks it. Events carry every key of the message command plus {@code ID} and {@code time}
 * (epoch milliseconds).
 */
public final class V1Codec {

    static final String KEY_TYPE = "type";
    static final String KEY_CHANNEL = "channel";
    static final String KEY_CHANNELS = "channels";
    static final String KEY_MESSAGE = "message";
    static final String KEY_ID = "ID";
    static final String KEY_TIME = "time";
    static final String KEY_FOR = "for";
    static final String KEY_ERROR = "error";
    static final String KEY_LOG = "log";
    static final String KEY_START = "start";
    static final String KEY_END = "end";

    static final String TYPE_OPEN = "open";
    static final String TYPE_CLOSE = "close";
    static final String TYPE_MESSAGE = "message";
    static final String TYPE_LOG = "log";
    static final String TYPE_RESULT = "result";
    static final String TYPE_ERROR = "error";

    public static final int DEFAULT_LOG_END = 100;

    private V1Codec() {
    }

    // ---------------------------------------------------------------- server side

    public static V1Request decodeRequest(String text) throws ProtocolException {
        Object value;
        try {
            value = JsonValues.parse(text);
        } catch (IOException e) {
            throw new ProtocolException("Invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new ProtocolException("Message must be object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> command = (Map<String, Object>) raw;
        Object type = command.get(KEY_TYPE);
        if (TYPE_OPEN.equals(type)) {
            return new V1Request.Open(channelOf(command));
        }
        if (TYPE_CLOSE.equals(type)) {
            return new V1Request.Close(channelOf(command));
        }
        if (TYPE_MESSAGE.equals(type)) {
            Channel channel = channelOf(command);
            return new V1Request.Message(new SkynetMessage(channel, command.get(KEY_MESSAGE), extrasOf(command), null,
                    null));
        }
        if (TYPE_LOG.equals(type)) {
            int start = intOf(command, KEY_START, 0);
            int end = intOf(command, KEY_END, DEFAULT_LOG_END);
            return new V1Request.Log(start, end);
        }
        throw new ProtocolException("No such command " + type);
    }

    private static Channel channelOf(Map<String, Object> command) throws ProtocolException {
        Object value = command.get(KEY_CHANNEL);
        if (value instanceof Long number) {
            return Channel.of(number);
        }
        if (value instanceof String name) {
            return Channel.of(name);
        }
        throw new ProtocolException("channel must be an integer or a string, got "
                + (value == null ? "nothing" : JsonValues.toJson(value)));
    }

    /** Every key but the ones the protocol defines is an extra key of the message. */
    private static Map<String, Object> extrasOf(Map<String, Object> object) {
        Map<String, Object> extras = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            switch (key) {
                case KEY_TYPE, KEY_CHANNEL, KEY_MESSAGE, KEY_ID, KEY_TIME -> {
                }
                default -> extras.put(key, value);
            }
        });
        return extras;
    }

    private static int intOf(Map<String, Object> command, String key, int fallback) throws ProtocolException {
        Object value = command.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Long number && number >= 0) {
            return (int) Math.min(number, Integer.MAX_VALUE);
        }
        throw new ProtocolException(key + " must be a non-negative integer");
    }

    /** {@code {"type":"result","for":<command>,"channels":[...]}} */
    public static String encodeChannelsResult(String forCommand, Collection<Channel> channels) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField(KEY_TYPE, TYPE_RESULT);
            generator.writeStringField(KEY_FOR, forCommand);
            generator.writeArrayFieldStart(KEY_CHANNELS);
            for (Channel channel : channels) {
                JsonValues.write(generator, channel.value());
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    public static String encodeOpenResult(Collection<Channel> channels) {
        return encodeChannelsResult(TYPE_OPEN, channels);
    }

    public static String encodeCloseResult(Collection<Channel> channels) {
        return encodeChannelsResult(TYPE_CLOSE, channels);
    }

    /** The event pushed to listeners: the command's keys, {@code type: message}, {@code ID}, {@code time}. */
    public static String encodeEvent(SkynetMessage message) {
        return write(generator -> writeMessageObject(generator, message, TYPE_MESSAGE, null));
    }

    /** The sender's result for a message command: the stored message, typed as a result. */
    public static String encodeMessageResult(SkynetMessage message) {
        return write(generator -> writeMessageObject(generator, message, TYPE_RESULT, TYPE_MESSAGE));
    }

    /** {@code {"type":"result","for":"log","log":[events...]}} from events already encoded. */
    public static String encodeLogResult(List<String> encodedEvents) {
        StringBuilder text = new StringBuilder(32 + encodedEvents.size() * 96);
        text.append("{\"type\":\"result\",\"for\":\"log\",\"log\":[");
        for (int i = 0; i < encodedEvents.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(encodedEvents.get(i));
        }
        return text.append("]}").toString();
    }

    public static String encodeError(String error) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField(KEY_TYPE, TYPE_ERROR);
            generator.writeStringField(KEY_ERROR, error);
            generator.writeEndObject();
        });
    }

    private static void writeMessageObject(JsonGenerator generator, SkynetMessage message, String type,
            String forCommand) throws IOException {
        generator.writeStartObject();
        generator.writeStringField(KEY_TYPE, type);
        if (forCommand != null) {
            generator.writeStringField(KEY_FOR, forCommand);
        }
        generator.writeFieldName(KEY_CHANNEL);
        JsonValues.write(generator, message.channel().value());
        generator.writeFieldName(KEY_MESSAGE);
        JsonValues.write(generator, message.payload());
        for (Map.Entry<String, Object> extra : message.extras().entrySet()) {
            switch (extra.getKey()) {
                case KEY_TYPE, KEY_FOR, KEY_ID, KEY_TIME, KEY_CHANNEL, KEY_MESSAGE -> {
                    // the server's own keys win, as in the reference's {...command, type, ID, time}
                }
                default -> {
                    generator.writeFieldName(extra.getKey());
                    JsonValues.write(generator, extra.getValue());
                }
            }
        }
        if (message.id() != null) {
            generator.writeStringField(KEY_ID, message.id());
        }
        Instant time = message.time() == null ? Instant.now() : message.time();
        generator.writeNumberField(KEY_TIME, time.toEpochMilli());
        generator.writeEndObject();
    }

    // ---------------------------------------------------------------- client side

    public static String encodeOpen(Channel channel) {
        return encodeChannelCommand(TYPE_OPEN, channel);
    }

    public static String encodeClose(Channel channel) {
        return encodeChannelCommand(TYPE_CLOSE, channel);
    }

    private static String encodeChannelCommand(String type, Channel channel) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField(KEY_TYPE, type);
            generator.writeFieldName(KEY_CHANNEL);
            JsonValues.write(generator, channel.value());
            generator.writeEndObject();
        });
    }

    public static String encodeSend(SkynetMessage message) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField(KEY_TYPE, TYPE_MESSAGE);
            generator.writeFieldName(KEY_CHANNEL);
            JsonValues.write(generator, message.channel().value());
            generator.writeFieldName(KEY_MESSAGE);
            JsonValues.write(generator, message.payload());
            for (Map.Entry<String, Object> extra : message.extras().entrySet()) {
                if (!KEY_TYPE.equals(extra.getKey())) {
                    generator.writeFieldName(extra.getKey());
                    JsonValues.write(generator, extra.getValue());
                }
            }
            generator.writeEndObject();
        });
    }

    public static String encodeLogRequest(int start, int end) {
        return "{\"type\":\"log\",\"start\":" + start + ",\"end\":" + end + "}";
    }

    public static V1ServerFrame decodeServerFrame(String text) throws ProtocolException {
        Object value;
        try (JsonParser parser = JsonValues.factory().createParser(text)) {
            JsonToken first = parser.nextToken();
            value = first == null ? null : JsonValues.read(parser, first);
        } catch (IOException e) {
            throw new ProtocolException("Invalid JSON from server: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new ProtocolException("a v1 server frame is a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> frame = (Map<String, Object>) raw;
        Object type = frame.get(KEY_TYPE);
        if (TYPE_ERROR.equals(type)) {
            return new V1ServerFrame.Error(String.valueOf(frame.get(KEY_ERROR)));
        }
        if (TYPE_RESULT.equals(type)) {
            return new V1ServerFrame.Result(String.valueOf(frame.get(KEY_FOR)), frame);
        }
        if (TYPE_MESSAGE.equals(type)) {
            Channel channel = channelOf(frame);
            Instant time = frame.get(KEY_TIME) instanceof Number millis && !(millis instanceof BigInteger)
                    ? Instant.ofEpochMilli(millis.longValue()) : null;
            Object id = frame.get(KEY_ID);
            return new V1ServerFrame.Event(new SkynetMessage(channel, frame.get(KEY_MESSAGE), extrasOf(frame), time,
                    id == null ? null : String.valueOf(id)));
        }
        throw new ProtocolException("unknown v1 server frame type " + type);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface JsonWriting {
        void writeTo(JsonGenerator generator) throws IOException;
    }

    private static String write(JsonWriting writing) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator generator = JsonValues.factory().createGenerator(out)) {
            writing.writeTo(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
