package dev.skynetbridge.app.metrics;

import java.util.List;

/**
 * Every meter the gateway adds to Camel's (docs/metrics.md is generated from this list). Names are Micrometer's
 * dotted form; Prometheus shows {@code skynet.messages.received} as {@code skynet_messages_received_total}. No label
 * takes unbounded values: protocols, reasons, kinds and route ids only (never a channel).
 */
public enum GatewayMeter {

    CLIENTS_CONNECTED("skynet.clients.connected", Type.GAUGE, null, List.of("protocol"),
            "Participants of the embedded Skynet server now: protocol v1 or v2 (websocket clients; a client on /connect"
            + " counts as v2 until its first frame says otherwise), route (in-process skynet: endpoints, one per"
            + " bridgeId)."),
    CHANNELS_OPEN("skynet.channels.open", Type.GAUGE, null, List.of(),
            "Channels at least one participant has open (the wildcard not counted)."),
    MESSAGES_RECEIVED("skynet.messages.received", Type.COUNTER, null, List.of("protocol"),
            "Messages the hub routed, by who sent them: protocol v1 or v2 (websocket clients; refused sends are not"
            + " counted), route (routes and the gateway itself)."),
    DELIVERIES("skynet.deliveries", Type.COUNTER, null, List.of(),
            "Copies of messages handed to recipients (a message to 3 listeners is 3 deliveries)."),
    DELIVERIES_DROPPED("skynet.deliveries.dropped", Type.COUNTER, null, List.of("reason"),
            "Messages lost on the way, by reason: queue_full (a client's send queue was full, the oldest went;"
            + " skynet.server.send-queue-limit), slow_client (lost with a client closed for reading too slowly, policy"
            + " close), connection_closed (still queued when a client went away), frame_too_large (a frame from a"
            + " client over skynet.server.max-frame-size; the client is closed), route_queue_full (a route's skynet:"
            + " queue was full: raise its queueSize)."),
    SEND_QUEUE_DEPTH_MAX("skynet.send.queue.depth.max", Type.GAUGE, null, List.of(),
            "Frames waiting in the fullest client send queue now (limit: skynet.server.send-queue-limit)."),
    SLOW_CLIENTS_CLOSED("skynet.clients.closed.slow", Type.COUNTER, null, List.of(),
            "Clients closed because their send queue was full (overflow policy close)."),
    PROTOCOL_ERRORS("skynet.protocol.errors", Type.COUNTER, null, List.of(),
            "Frames from clients that were not valid Skynet requests (answered with an error)."),
    ACCESS_REFUSED("skynet.access.refused", Type.COUNTER, null, List.of("reason"),
            "Requests and connections access control or a limit refused, by reason (open-denied, send-no-rule,"
            + " message-rate, wrong-secret, connections-total, ...: docs/access-control.md)."),

    BRIDGE_RECEIVED("skynet.bridge.received", Type.COUNTER, null, List.of("bridge", "kind"),
            "Messages the bridge took in: what its skynet: source was handed (or its target, without one; a Kafka"
            + " replay: the records meant for it)."),
    BRIDGE_SENT("skynet.bridge.sent", Type.COUNTER, null, List.of("bridge", "kind"),
            "Messages the target took for good: MQTT broker acknowledged (QoS 0: written), Kafka acknowledged, webhook"
            + " answered 2xx; a Kafka replay: handed to Skynet."),
    BRIDGE_FAILED("skynet.bridge.failed", Type.COUNTER, null, List.of("bridge", "kind"),
            "Messages refused or given up on, not sent again: the broker refused, Kafka gave up, a webhook went to"
            + " its dead letter, the route failed before the target; a Kafka replay: records that are not Skynet"
            + " archive records."),
    BRIDGE_QUEUED("skynet.bridge.queued", Type.GAUGE, null, List.of("bridge", "kind"),
            "Messages waiting now: in the source's queue, the outbox or buffer, sent and not yet confirmed, or"
            + " waiting for a webhook retry."),
    BRIDGE_DROPPED("skynet.bridge.dropped", Type.COUNTER, null, List.of("bridge", "kind"),
            "Messages dropped to a full queue or buffer (source queueSize, bufferSize), or left in one at a stop. At a"
            + " quiet moment received = sent + failed + queued + dropped."),
    BRIDGE_RETRIED("skynet.bridge.retried", Type.COUNTER, null, List.of("bridge", "kind"),
            "Sends tried again: MQTT messages unconfirmed when the connection dropped, Kafka records refused while it"
            + " was down, webhook retries."),
    BRIDGE_DEAD_LETTERED("skynet.bridge.dead.lettered", Type.COUNTER, null, List.of("bridge", "kind"),
            "Messages written to the dead letter (webhooks; 0 for the others)."),
    BRIDGE_CONNECTED("skynet.bridge.connected", Type.GAUGE, null, List.of("bridge", "kind"),
            "1 while the target is reachable (MQTT connected, Kafka answering, the last webhook attempt delivered),"
            + " else 0."),
    BRIDGE_LAST_SUCCESS("skynet.bridge.last.success", Type.GAUGE, "seconds", List.of("bridge", "kind"),
            "When the target last took a message, Unix time in seconds; 0 before the first. Alert on"
            + " time() - skynet_bridge_last_success_seconds."),

    MQTT_BROKER_CONNECTIONS("skynet.mqtt.broker.connections", Type.GAUGE, null, List.of(),
            "MQTT connections to the embedded broker now (absent with an external broker)."),
    MQTT_BROKER_DROPPED("skynet.mqtt.broker.dropped", Type.COUNTER, null, List.of(),
            "Messages the embedded broker dropped for its subscribers (a QoS 1/2 subscriber's queue full:"
            + " skynet.mqtt.embedded.max-queued-messages; QoS 0 to a client that cannot keep up)."),
    MQTT_CLIENT_DROPPED("skynet.mqtt.client.dropped", Type.COUNTER, null, List.of(),
            "Incoming QoS 0 MQTT messages the bridges' MQTT client dropped because a route from MQTT was slower than"
            + " its topics (past skynet.mqtt.inbound-queue-size waiting, 50,000 by default), every bridge together."),
    MQTT_INBOUND_DISCARDED("skynet.mqtt.inbound.discarded", Type.COUNTER, null, List.of("reason"),
            "Messages from MQTT the bridges did not hand to Skynet, by reason: own_message (the bridge's own publish"
            + " came back; the loop guard), hop_limit (crossed maxHops bridges: a loop), not_a_channel (the topic"
            + " names no channel), bad_payload (not what inboundFormat expects)."),

    RPC_CALLS("skynet.rpc.calls", Type.COUNTER, null, List.of("service", "side"),
            "skynet-rpc calls completed: side client (made by skynet-rpc: producers, answered or failed), server"
            + " (answered by skynet-rpc: consumers); service = the service name of the endpoint(s)."),
    RPC_FAILURES("skynet.rpc.failures", Type.COUNTER, null, List.of("service", "side"),
            "Of those, the calls that failed: no answer in time, connection lost, refused, an RPC error or an"
            + " errstring reply."),
    RPC_LATENCY("skynet.rpc.latency", Type.TIMER, "seconds", List.of("service", "side"),
            "Time from a call to its answer (client) or from receiving a call to the reply (server); _sum / _count"
            + " is the mean."),

    CLUSTER_CONNECTED("skynet.cluster.connected", Type.GAUGE, null, List.of(),
            "1 while the link to NATS is up (skynet.cluster.nats-url set), 0 while it is down."),
    CLUSTER_SENT("skynet.cluster.sent", Type.COUNTER, null, List.of(),
            "Messages that entered on this gateway and were published to the other gateways."),
    CLUSTER_RECEIVED("skynet.cluster.received", Type.COUNTER, null, List.of(),
            "Messages received from the other gateways and delivered to this gateway's hub."),
    CLUSTER_DROPPED("skynet.cluster.dropped", Type.COUNTER, null, List.of(),
            "Messages for the other gateways that were lost: the buffer (skynet.cluster.buffer-bytes) was full while"
            + " NATS was away, NATS refused them, or they waited to be written to a NATS connection that was lost."),
    CLUSTER_BUFFERED("skynet.cluster.buffered", Type.GAUGE, null, List.of(),
            "Messages waiting in the buffer for NATS to come back."),
    CLUSTER_DUPLICATES_SKIPPED("skynet.cluster.duplicates.skipped", Type.COUNTER, null, List.of(),
            "Second copies of a message this gateway received twice (subscribed to \"*\" and to its channel): not"
            + " delivered again."),
    CLUSTER_UNDECODABLE("skynet.cluster.undecodable", Type.COUNTER, null, List.of(),
            "Messages on the cluster's NATS subjects that were not this release's envelopes (another program)."),
    CLUSTER_RECONNECTS("skynet.cluster.reconnects", Type.COUNTER, null, List.of(),
            "Times the link came back after losing NATS."),
    CLUSTER_PEERS("skynet.cluster.peers", Type.GAUGE, null, List.of("state"),
            "Other gateways of the cluster this one hears of, by state: up (its announcements arrive), missing (none"
            + " for three of its announce intervals: killed, or cut off from NATS; removed after thirty). A gateway"
            + " that stops cleanly leaves at once. This gateway is not counted."),
    CLUSTER_NODE_ID_CONFLICTS("skynet.cluster.node.id.conflicts", Type.GAUGE, null, List.of(),
            "Node ids two running gateways announce now, this gateway's own included: give each its own"
            + " skynet.cluster.node-id."),
    CLUSTER_PEERS_UNLISTED("skynet.cluster.peers.unlisted", Type.COUNTER, null, List.of(),
            "Announcements of gateways not listed because this one already tracks 1,000."),
    CLUSTER_ANNOUNCEMENTS_UNDECODABLE("skynet.cluster.announcements.undecodable", Type.COUNTER, null, List.of(),
            "Messages on the node announcement subject (<prefix>~nodes) that were not announcements: ignored.");

    /** How Prometheus shows it. */
    public enum Type { COUNTER, GAUGE, TIMER }

    private final String meterName;
    private final Type type;
    private final String baseUnit;
    private final List<String> labels;
    private final String description;

    GatewayMeter(String meterName, Type type, String baseUnit, List<String> labels, String description) {
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.labels = labels;
        this.description = description;
    }

    /** Micrometer's dotted name. */
    public String meterName() {
        return meterName;
    }

    public Type type() {
        return type;
    }

    /** Null for a plain count. */
    public String baseUnit() {
        return baseUnit;
    }

    public List<String> labels() {
        return labels;
    }

    public String description() {
        return description;
    }
}
