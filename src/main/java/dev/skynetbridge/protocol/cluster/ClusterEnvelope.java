package dev.skynetbridge.protocol.cluster;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.cbor.CborWriter;
import java.util.List;

/**
 * The wire of the release before batches (version 1, one message per NATS message), still read by
 * {@link ClusterBatch#decode}: a stamped message on its way from the gateway where it entered to the others, as one
 * CBOR array:
 * {@code [1, node, instance, sequence, channel, id, epochSecond, nano, {extra keys}, message]}.
 *
 * <p>The v2 push frame is not enough: it has no id, its time is text, and a sender's own {@code time} key would
 * collide with the server's. Written with the same {@link CborWriter} as the v2 frames, so payload values (byte
 * strings, float widths, 64-bit and big integers, key order) come out on every node as they went in.
 *
 * @param node the entry node's id (for logs and the console's traffic view)
 * @param instance a random number of the entry node's current run: with {@code sequence}, tells copies apart
 * @param sequence the entry node's count of messages sent to the cluster, in publish order
 * @param message the message, with the id and time the entry node stamped
 */
public record ClusterEnvelope(String node, long instance, long sequence, SkynetMessage message) {

    static final int VERSION = 1;
    private static final int FIELDS = 10;

    public byte[] encode() {
        CborWriter writer = new CborWriter(96);
        writer.writeArrayHead(FIELDS);
        writer.writeLong(VERSION);
        writer.writeText(node);
        writer.writeLong(instance);
        writer.writeLong(sequence);
        ClusterBatch.writeMessageFields(writer, message);
        return writer.toByteArray();
    }

    /** @throws ProtocolException when the bytes are not an envelope of this version (a gateway of another release) */
    public static ClusterEnvelope decode(byte[] bytes) throws ProtocolException {
        CborReader reader = new CborReader(bytes);
        Object value = reader.readValue();
        if (!reader.atEnd() || !(value instanceof List<?> fields)) {
            throw new ProtocolException("not a cluster envelope (a CBOR array of " + FIELDS + ")");
        }
        return fromFields(fields);
    }

    /** An envelope from its decoded CBOR array ({@link ClusterBatch#decode} has read it already). */
    static ClusterEnvelope fromFields(List<?> fields) throws ProtocolException {
        if (fields.size() != FIELDS) {
            throw new ProtocolException("not a cluster envelope (a CBOR array of " + FIELDS + ")");
        }
        if (!Long.valueOf(VERSION).equals(fields.get(0))) {
            throw new ProtocolException("cluster envelope version " + fields.get(0) + ", this gateway reads "
                    + VERSION + ": run the same release on every node");
        }
        try {
            SkynetMessage message = ClusterBatch.messageOf(fields.subList(4, FIELDS));
            return new ClusterEnvelope((String) fields.get(1), (Long) fields.get(2), (Long) fields.get(3), message);
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new ProtocolException("malformed cluster envelope: " + e.getMessage());
        }
    }
}
