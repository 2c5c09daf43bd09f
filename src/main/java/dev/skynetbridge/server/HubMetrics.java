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

    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("messagesPublished", messagesPublished());
        values.put("deliveries", deliveries());
        values.put("deliveriesDropped", deliveriesDropped());
        values.put("slowClientsClosed", slowClientsClosed());
        values.put("protocolErrors", protocolErrors());
        values.put("oversizeFrames", oversizeFrames());
        values.put("connectionsOpen", connectionsOpen());
        values.put("flushConsolidatedConnections", flushConsolidatedConnections());
        values.putAll(access.snapshot());
        return values;
    }
}
