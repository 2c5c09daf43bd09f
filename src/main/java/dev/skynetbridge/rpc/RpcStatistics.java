package dev.skynetbridge.rpc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one RPC client pool or server (skynet-rpc keeps one per endpoint), one per bound or failure policy, so
 * a full queue or a dropped connection is visible and not only logged. Written by this package, read by anyone.
 */
public final class RpcStatistics {

    /** Client: calls refused because the chosen connection already had maxInFlight calls pending. */
    final AtomicLong callsRejectedInFlightFull = new AtomicLong();
    /** Client: calls that got no response within the timeout. */
    final AtomicLong callsTimedOut = new AtomicLong();
    /** Client: calls failed because their connection closed while they were pending. */
    final AtomicLong callsFailedConnectionClosed = new AtomicLong();
    /** Client: responses whose seq matched no pending call (usually answered after the timeout). */
    final AtomicLong unmatchedResponses = new AtomicLong();
    /** Client: calls failed at once because every address was in backoff after failed connects. */
    final AtomicLong callsFailedAllAddressesBackingOff = new AtomicLong();
    /** Client: services that answered the handshake with registered=false or the wrong name. */
    final AtomicLong handshakesRefused = new AtomicLong();
    /** Client and server: connections dropped because the peer sent something that is not valid skynet RPC BSON. */
    final AtomicLong connectionsDroppedMalformed = new AtomicLong();
    /** Server: connections refused because maxConnections were open. */
    final AtomicLong connectionsRejectedLimit = new AtomicLong();
    /** Server: times reading from a client was paused because it had maxInFlight calls in the handler. */
    final AtomicLong readPausesInFlightFull = new AtomicLong();
    /** Server: the most calls one client connection ever had in the handler at once; never above maxInFlight. */
    final AtomicLong consumerInFlightHighWater = new AtomicLong();
    /** Server: replies that could not be written because the client had gone. */
    final AtomicLong repliesDropped = new AtomicLong();
    /** Client: calls made, failures among them (any failed future or an error reply) and their time in ns. */
    final LongAdder clientCalls = new LongAdder();
    final LongAdder clientFailures = new LongAdder();
    final LongAdder clientNanos = new LongAdder();
    /** Server: calls answered, failures among them (an error reply) and the time from receiving to replying, in ns. */
    final LongAdder serverCalls = new LongAdder();
    final LongAdder serverFailures = new LongAdder();
    final LongAdder serverNanos = new LongAdder();

    /** Counts one call a client made, when it completed. */
    void clientCall(long startNanos, boolean failed) {
        clientNanos.add(System.nanoTime() - startNanos);
        if (failed) {
            clientFailures.increment();
        }
        clientCalls.increment();
    }

    /** Counts one call a server answered, when it replied. */
    void serverCall(long receivedNanos, boolean failed) {
        serverNanos.add(System.nanoTime() - receivedNanos);
        if (failed) {
            serverFailures.increment();
        }
        serverCalls.increment();
    }

    /** Client: calls completed (answered or failed). */
    public long getClientCalls() {
        return clientCalls.sum();
    }

    public long getClientFailures() {
        return clientFailures.sum();
    }

    /** Client: the time all completed calls took together, in ns. */
    public long getClientNanos() {
        return clientNanos.sum();
    }

    /** Server: calls replied to. */
    public long getServerCalls() {
        return serverCalls.sum();
    }

    public long getServerFailures() {
        return serverFailures.sum();
    }

    /** Server: the time from receiving each call to its reply, all together, in ns. */
    public long getServerNanos() {
        return serverNanos.sum();
    }

    public long getCallsRejectedInFlightFull() {
        return callsRejectedInFlightFull.get();
    }

    public long getCallsTimedOut() {
        return callsTimedOut.get();
    }

    public long getCallsFailedConnectionClosed() {
        return callsFailedConnectionClosed.get();
    }

    public long getUnmatchedResponses() {
        return unmatchedResponses.get();
    }

    public long getCallsFailedAllAddressesBackingOff() {
        return callsFailedAllAddressesBackingOff.get();
    }

    public long getConsumerInFlightHighWater() {
        return consumerInFlightHighWater.get();
    }

    public long getHandshakesRefused() {
        return handshakesRefused.get();
    }

    public long getConnectionsDroppedMalformed() {
        return connectionsDroppedMalformed.get();
    }

    public long getConnectionsRejectedLimit() {
        return connectionsRejectedLimit.get();
    }

    public long getReadPausesInFlightFull() {
        return readPausesInFlightFull.get();
    }

    public long getRepliesDropped() {
        return repliesDropped.get();
    }
}
