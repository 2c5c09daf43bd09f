package dev.skynetbridge.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the hub and the websocket server; read by the health endpoint and benchmarks. */
public final class HubMetrics {

    final LongAdder messagesPublished = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder deliveriesDropped = new LongAdder();
    final LongAdder slowClientsClosed = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder oversizeFrames = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder flushConsolidatedConnections = new LongAdder();
    /** Connections speaking v1 now (path /v1/connect, or a JSON first frame on /connect); the rest speak v2. */
    final LongAdder v1ConnectionsOpen = new LongAdder();
    final LongAdder messagesFromV1 = new LongAdder();
    final LongAdder messagesFromV2 = new LongAdder();
    /** Deliveries still queued for a connection when it closed, or pushed to it while it was closing. */
    final LongAdder deliveriesDiscardedOnClose = new LongAdder();
    /** Deliveries lost with a connection closed for reading too slowly (overflow policy close). */
    final LongAdder deliveriesDroppedSlowClient = new LongAdder();
    final LongAdder membersJoined = new LongAdder();
    final LongAdder membersLeft = new LongAdder();
    private final AccessMetrics access = new AccessMetrics();

    /** Access control and limits of the websocket server. */
    public AccessMetrics access() {
        return access;
    }

    public long messagesPublished() {
        return messagesPublished.sum();
    }

    public long deliveries() {
        return deliveries.sum();
    }

    /** Messages dropped because a subscriber's bounded queue was full (drop-oldest policy). */
    public long deliveriesDropped() {
        return deliveriesDropped.sum();
    }

    public long slowClientsClosed() {
        return slowClientsClosed.sum();
    }

    public long protocolErrors() {
        return protocolErrors.sum();
    }

    public long oversizeFrames() {
        return oversizeFrames.sum();
    }

    /**
     * Connections whose flushes are merged (see SkynetServer); equal to the connections opened unless a
     * Vert.x upgrade removed the internal hook it uses, which is then logged once.
     */
    public long flushConsolidatedConnections() {
        return flushConsolidatedConnections.sum();
    }

    /** Connections opened since start, closed ones included. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long connectionsOpen() {
        return connectionsOpened.sum() - connectionsClosed.sum();
    }

    /** Open websocket connections that speak v1. */
    public long v1ConnectionsOpen() {
        return v1ConnectionsOpen.sum();
    }

    /** Open websocket connections that speak v2 (or have not sent anything yet on the v2 path). */
    public long v2ConnectionsOpen() {
        return Math.max(0, connectionsOpen() - v1ConnectionsOpen());
    }

    /** In-process participants now ({@code skynet:} endpoints of routes): hub members that are not websockets. */
    public long inProcessParticipants() {
        return Math.max(0, membersJoined.sum() - membersLeft.sum() - connectionsOpen());
    }

    /** Messages websocket clients sent that the hub routed (refused ones not counted), v1 clients. */
    public long messagesFromV1() {
        return messagesFromV1.sum();
    }

    public long messagesFromV2() {
        return messagesFromV2.sum();
    }

    /** Messages published by in-process participants (routes) or by no participant. */
    public long messagesFromRoutes() {
        return Math.max(0, messagesPublished() - messagesFromV1() - messagesFromV2());
    }

    /** Deliveries lost with a connection the server closed because it read too slowly (overflow policy close). */
    public long deliveriesDroppedSlowClient() {
        return deliveriesDroppedSlowClient.sum();
    }

    /** Deliveries lost because their connection closed before they were written (a slow client's not counted). */
    public long deliveriesDiscardedOnClose() {
        return deliveriesDiscardedOnClose.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("messagesPublished", messagesPublished());
        values.put("deliveries", deliveries());
        values.put("deliveriesDropped", deliveriesDropped());
        values.put("slowClientsClosed", slowClientsClosed());
        values.put("protocolErrors", protocolErrors());
        values.put("oversizeFrames", oversizeFrames());
        values.put("connectionsOpen", connectionsOpen());
        values.put("deliveriesDiscardedOnClose", deliveriesDiscardedOnClose());
        values.put("deliveriesDroppedSlowClient", deliveriesDroppedSlowClient());
        values.put("flushConsolidatedConnections", flushConsolidatedConnections());
        values.putAll(access.snapshot());
        return values;
    }
}
