package dev.skynetbridge.protocol.cluster;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cbor.CborConstants;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.cbor.CborWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several stamped messages of one entry node that travel in one NATS message, as one CBOR array:
 * {@code [2, node, instance, firstSequence, [[channel, id, epochSecond, nano, {extra keys}, message], ...]]}. The
 * messages carry the consecutive sequence numbers {@code firstSequence, firstSequence + 1, ...} in the order they
 * entered, so a receiver tells copies apart per message as it did with {@link ClusterEnvelope} (version 1, one
 * message), which {@link #decode} still reads as a batch of one.
 *
 * <p>Each message is encoded on its own ({@link #encodeMessage}) when it enters, and the batch is put together from
 * those bytes when it is sent ({@link #encode}): the sender then knows each message's size before it joins a batch.
 *
 * @param node the entry node's id
 * @param instance a random number of the entry node's current run
 * @param firstSequence the sequence number of the first message
 * @param messages the messages, in the order they entered
 */
public record ClusterBatch(String node, long instance, long firstSequence, List<SkynetMessage> messages) {

    static final int VERSION = 2;
    private static final int FIELDS = 5;
    private static final int MESSAGE_FIELDS = 6;

    public ClusterBatch {
        messages = List.copyOf(messages);
    }

    /** The sequence number of the last message. */
    public long lastSequence() {
        return firstSequence + messages.size() - 1;
    }

    /** One message as it goes into a batch, with the id and time the entry node stamped. */
    public static byte[] encodeMessage(SkynetMessage message) {
        CborWriter writer = new CborWriter(64);
        writer.writeArrayHead(MESSAGE_FIELDS);
        writeMessageFields(writer, message);
        return writer.toByteArray();
    }

    /** A message's fields as both formats carry them: channel, id, time (seconds, nanoseconds), extras, payload. */
    static void writeMessageFields(CborWriter writer, SkynetMessage message) {
        writer.writeValue(message.channel().value());
        writer.writeValue(message.id());
        Instant time = message.time();
        writer.writeValue(time == null ? null : time.getEpochSecond());
        writer.writeValue(time == null ? null : (long) time.getNano());
        // Extra keys in the sender's order, as the entry node's own pushes list them (a plain map would be sorted).
        writer.writeHead(CborConstants.MAJOR_MAP, message.extras().size());
        for (Map.Entry<String, Object> extra : message.extras().entrySet()) {
            writer.writeText(extra.getKey());
            writer.writeValue(extra.getValue());
        }
        writer.writeValue(message.payload());
    }

    /** A batch of messages already encoded with {@link #encodeMessage}, in sequence order. */
    public static byte[] encode(String node, long instance, long firstSequence, List<byte[]> encodedMessages) {
        int size = 32 + node.length() * 3;
        for (byte[] message : encodedMessages) {
            size += message.length;
        }
        CborWriter writer = new CborWriter(size);
        writer.writeArrayHead(FIELDS);
        writer.writeLong(VERSION);
        writer.writeText(node);
        writer.writeLong(instance);
        writer.writeLong(firstSequence);
        writer.writeArrayHead(encodedMessages.size());
        for (byte[] message : encodedMessages) {
            writer.writeEncoded(message);
        }
        return writer.toByteArray();
    }

    public byte[] encode() {
        return encode(node, instance, firstSequence, messages.stream().map(ClusterBatch::encodeMessage).toList());
    }

    /**
     * Reads a batch (version 2) or a single envelope of version 1 (a batch of one).
     *
     * @throws ProtocolException when the bytes are neither (another program, or a gateway of another release)
     */
    public static ClusterBatch decode(byte[] bytes) throws ProtocolException {
        CborReader reader = new CborReader(bytes);
        Object value = reader.readValue();
        if (!reader.atEnd() || !(value instanceof List<?> fields) || fields.isEmpty()) {
            throw new ProtocolException("not a cluster batch (a CBOR array of " + FIELDS + ")");
        }
        if (Long.valueOf(ClusterEnvelope.VERSION).equals(fields.get(0))) {
            ClusterEnvelope single = ClusterEnvelope.fromFields(fields);
            return new ClusterBatch(single.node(), single.instance(), single.sequence(), List.of(single.message()));
        }
        if (!Long.valueOf(VERSION).equals(fields.get(0))) {
            throw new ProtocolException("cluster batch version " + fields.get(0) + ", this gateway reads " + VERSION
                    + ": run the same release on every node");
        }
        if (fields.size() != FIELDS) {
            throw new ProtocolException("not a cluster batch (a CBOR array of " + FIELDS + ")");
        }
        try {
            List<?> items = (List<?>) fields.get(4);
            if (items.isEmpty()) {
                throw new ProtocolException("malformed cluster batch: no messages");
            }
            List<SkynetMessage> messages = new ArrayList<>(items.size());
            for (Object item : items) {
                messages.add(messageOf((List<?>) item));
            }
            return new ClusterBatch((String) fields.get(1), (Long) fields.get(2), (Long) fields.get(3), messages);
        } catch (ClassCastException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ProtocolException("malformed cluster batch: " + e.getMessage());
        }
    }

    /** One message's fields, as both formats carry them (see {@link #writeMessageFields}). */
    static SkynetMessage messageOf(List<?> fields) throws ProtocolException {
        if (fields.size() != MESSAGE_FIELDS) {
            throw new ProtocolException("malformed cluster batch: a message of " + fields.size() + " fields, not "
                    + MESSAGE_FIELDS);
        }
        Channel channel = Channel.fromValue(fields.get(0));
        Instant time = fields.get(2) == null ? null : Instant.ofEpochSecond((Long) fields.get(2), (Long) fields.get(3));
        Map<String, Object> extras = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) fields.get(4)).entrySet()) {
            extras.put((String) entry.getKey(), entry.getValue());
        }
        return new SkynetMessage(channel, fields.get(5), extras, time, (String) fields.get(1));
    }
}
