package dev.skynetbridge.camel.rpc;

import java.time.Instant;

/**
 * One service address as a producer sees it now (see SkynetRpcProducer#getAddressStatuses and the skynet-rpc health
 * check).
 *
 * @param address         host:port from the address option
 * @param state           CONNECTED (at least one open connection), BACKING_OFF (the last connect failed, or the
 *                        last connection was lost within stableConnectionPeriod; no attempt before nextAttemptAt)
 *                        or IDLE (no connection; the next call may connect)
 * @param openConnections connections open to it now
 * @param nextAttemptAt   when BACKING_OFF, the earliest next connect attempt; else null
 * @param lastProblem     the last connect failure or connection loss, or null
 * @param connectAttempts connects started to it since the producer started
 * @param connectFailures of those, the ones that failed, or whose connection was lost within
 *                        stableConnectionPeriod
 */
public record SkynetRpcAddressStatus(String address, String state, int openConnections, Instant nextAttemptAt,
                                     String lastProblem, long connectAttempts, long connectFailures) {
}
