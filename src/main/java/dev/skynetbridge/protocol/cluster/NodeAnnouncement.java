package dev.skynetbridge.protocol.cluster;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.cbor.CborConstants;
import dev.skynetbridge.protocol.cbor.CborReader;
import dev.skynetbridge.protocol.cbor.CborWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a cluster node says of itself every few seconds on {@link ClusterSubjects#nodes()}, and once more when it stops
 * cleanly ({@code leaving}): one CBOR map with text keys, so a later release adds keys and this one skips those it
 * does not know. {@code "v"} is the format's version (1 here); a reader takes any version from 1 up, reading the keys
 * it knows: a change that is not an addition needs another subject. Only {@code v}, {@code node} and {@code instance}
 * are required; a missing count reads as 0 (routes: -1, unknown).
 *
 * @param node the node id (skynet.cluster.node-id)
 * @param instance the random number of the node's current run (the one its message batches carry)
 * @param gatewayVersion the gateway's release
 * @param startedAt when this run started
 * @param intervalMillis how often the node announces itself: the others count it missing after a few silent intervals
 * @param leaving the node stops now: the others drop it at once
 * @param clientsV1 websocket clients on the v1 protocol connected to the node
 * @param clientsV2 websocket clients on the v2 protocol
 * @param channels channels open on the node
 * @param sent messages the node published to the other nodes
 * @param received messages the node received from the other nodes
 * @param dropped messages for the other nodes the node lost
 * @param routes routes the user wrote on the node, -1 when not known
 * @param routesStarted of those, the started ones, -1 when not known
 * @param nats the NATS server the node is connected to (no credentials)
 */
public record NodeAnnouncement(String node, long instance, String gatewayVersion, Instant startedAt,
                               long intervalMillis, boolean leaving, long clientsV1, long clientsV2, long channels,
                               long sent, long received, long dropped, long routes, long routesStarted, String nats) {

    /** The format version this release writes. */
    public static final long VERSION = 1;
    /** An announcement is a few hundred bytes; anything much larger is not one. */
    public static final int MAX_BYTES = 4096;
    /** Longest node id an announcement may carry. */
    public static final int MAX_NODE_LENGTH = 256;

    public NodeAnnouncement {
        if (node == null || node.isEmpty()) {
            throw new IllegalArgumentException("an announcement needs a node id");
        }
        gatewayVersion = gatewayVersion == null ? "" : gatewayVersion;
        nats = nats == null ? "" : nats;
    }

    /** The same announcement saying the node stops now. */
    public NodeAnnouncement asLeaving() {
        return new NodeAnnouncement(node, instance, gatewayVersion, startedAt, intervalMillis, true, clientsV1,
                clientsV2, channels, sent, received, dropped, routes, routesStarted, nats);
    }

    public byte[] encode() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("v", VERSION);
        fields.put("node", node);
        fields.put("instance", instance);
        fields.put("version", gatewayVersion);
        fields.put("started", startedAt == null ? 0L : startedAt.toEpochMilli());
        fields.put("interval", intervalMillis);
        fields.put("leaving", leaving);
        fields.put("clientsV1", clientsV1);
        fields.put("clientsV2", clientsV2);
        fields.put("channels", channels);
        fields.put("sent", sent);
        fields.put("received", received);
        fields.put("dropped", dropped);
        fields.put("routes", routes);
        fields.put("routesStarted", routesStarted);
        fields.put("nats", nats);
        CborWriter writer = new CborWriter(256);
        // Written in this order (CborWriter's own map writing would sort the keys): easier to read in a capture.
        writer.writeHead(CborConstants.MAJOR_MAP, fields.size());
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            writer.writeText(field.getKey());
            writer.writeValue(field.getValue());
        }
        return writer.toByteArray();
    }

    /**
     * Reads an announcement of format version 1 or later.
     *
     * @throws ProtocolException when the bytes are not one (another program on the subject, or a broken node)
     */
    public static NodeAnnouncement decode(byte[] bytes) throws ProtocolException {
        if (bytes.length > MAX_BYTES) {
            throw new ProtocolException("a node announcement of " + bytes.length + " bytes (at most " + MAX_BYTES
                    + ")");
        }
        CborReader reader = new CborReader(bytes);
        Object value = reader.readValue();
        if (!reader.atEnd() || !(value instanceof Map<?, ?> fields)) {
            throw new ProtocolException("not a node announcement (a CBOR map)");
        }
        Object version = fields.get("v");
        if (!(version instanceof Long v) || v < 1) {
            throw new ProtocolException("not a node announcement: format version " + version + " (1 or later)");
        }
        String node = text(fields, "node", null);
        if (node == null || node.isEmpty() || node.length() > MAX_NODE_LENGTH) {
            throw new ProtocolException("a node announcement without a node id of 1 to " + MAX_NODE_LENGTH
                    + " characters");
        }
        if (!(fields.get("instance") instanceof Long instance)) {
            throw new ProtocolException("a node announcement of " + node + " without its instance number");
        }
        Object leaving = fields.get("leaving");
        if (leaving != null && !(leaving instanceof Boolean)) {
            throw new ProtocolException("a node announcement of " + node + ": 'leaving' is not true or false");
        }
        long started = count(fields, "started", 0);
        return new NodeAnnouncement(node, instance, text(fields, "version", ""),
                started == 0 ? null : Instant.ofEpochMilli(started), count(fields, "interval", 0),
                Boolean.TRUE.equals(leaving), count(fields, "clientsV1", 0), count(fields, "clientsV2", 0),
                count(fields, "channels", 0), count(fields, "sent", 0), count(fields, "received", 0),
                count(fields, "dropped", 0), count(fields, "routes", -1), count(fields, "routesStarted", -1),
                text(fields, "nats", ""));
    }

    private static String text(Map<?, ?> fields, String key, String absent) throws ProtocolException {
        Object value = fields.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof String text)) {
            throw new ProtocolException("a node announcement whose '" + key + "' is not text");
        }
        return text;
    }

    private static long count(Map<?, ?> fields, String key, long absent) throws ProtocolException {
        Object value = fields.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Long number)) {
            throw new ProtocolException("a node announcement whose '" + key + "' is not a whole number");
        }
        return number;
    }
}
