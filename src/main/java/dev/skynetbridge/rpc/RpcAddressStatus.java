package dev.skynetbridge.rpc;

import java.time.Instant;

/**
 * One service address as a client pool sees it now (see {@link RpcClientPool#addressStatuses()}; the skynet-rpc
 * producer and health check show it).
 *
 * @param address         host:port from the address option
 * @param state           CONNECTED (at least one open connection), BACKING_OFF (the last connect failed, or the
 *                        last connection was lost within stableConnectionPeriod; no attempt before nextAttemptAt)
 *                        or IDLE (no connection; the next call may connect)
 * @param openConnections connections open to it now
 * @param nextAttemptAt   when BACKING_OFF, the earliest next connect attempt; else null
 * @param lastProblem     the last connect failure or connection loss, or null
 * @param connectAttempts connects started to it since the pool was created
 * @param connectFailures of those, the ones that failed, or whose connection was lost within
 *                        stableConnectionPeriod
 */
public record RpcAddressStatus(String address, String state, int openConnections, Instant nextAttemptAt,
                               String lastProblem, long connectAttempts, long connectFailures) {

    /** The last attempt failed and its backoff has not ended: calls skip this address. */
    public boolean isBackingOff() {
        return RpcAddressState.State.BACKING_OFF.name().equals(state);
    }
}
