package dev.skynetbridge.rpc;

import dev.skynetbridge.support.Backoff;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client pool knows about one service address: open connections, and after a failure the backoff before the
 * next attempt, so a dead address costs one attempt per backoff period and not one per call. A failure is a failed
 * connect or a connection lost within stableConnectionPeriod of its handshake (a service in a crash loop, a proxy
 * that closes at once): such an address is no better than one that refuses. The backoff starts over only once a
 * connection has stayed up for stableConnectionPeriod.
 *
 * <p>Logs one WARN when the address becomes unreachable and one INFO when a connection to it has stayed up for
 * stableConnectionPeriod again; the failures in between are DEBUG.
 */
final class RpcAddressState {

    private static final Logger LOG = LoggerFactory.getLogger(RpcAddressState.class);

    /** The state as the user sees it. */
    enum State { IDLE, CONNECTED, BACKING_OFF }

    private final String name;
    private final RpcAddress address;
    private final int preference;
    private final Backoff backoff;
    private int openConnections;
    private boolean backingOff;
    /** The WARN was logged and the INFO not yet: keeps a flapping address to one line each way. */
    private boolean reportedUnreachable;
    private boolean probing;
    private long nextAttemptNanos;
    private Instant nextAttemptAt;
    private String lastProblem;
    private long connectAttempts;
    private long connectFailures;

    RpcAddressState(String name, RpcAddress address, int preference, long backoffInitialMillis,
                          long backoffMaxMillis) {
        this.name = name;
        this.address = address;
        this.preference = preference;
        this.backoff = new Backoff(backoffInitialMillis, backoffMaxMillis);
    }

    RpcAddress address() {
        return address;
    }

    /** The position in the address option: lower is preferred. */
    int preference() {
        return preference;
    }

    /** True unless a failure put the address in backoff that has not yet run out. */
    synchronized boolean isDue() {
        return !backingOff || System.nanoTime() - nextAttemptNanos >= 0;
    }

    synchronized void attemptStarted() {
        connectAttempts++;
    }

    /** Claims the one background attempt to win this address back; false if one runs or the backoff has not ended. */
    synchronized boolean tryStartProbe() {
        if (probing || !isDue()) {
            return false;
        }
        probing = true;
        return true;
    }

    synchronized void probeEnded() {
        probing = false;
    }

    /** The handshake completed; the backoff is kept until the connection proves stable (see connectionStable). */
    synchronized void connected() {
        openConnections++;
        backingOff = false;
    }

    /** A connection has stayed up for stableConnectionPeriod: the address works, the backoff starts over. */
    synchronized void connectionStable() {
        backoff.reset();
        if (reportedUnreachable) {
            reportedUnreachable = false;
            LOG.info("{}: {} is reachable again after {} failed connect attempt(s); calls use it again", name,
                    address, connectFailures);
        }
    }

    synchronized void connectFailed(String problem) {
        failed(problem);
    }

    /** An established connection was lost within stableConnectionPeriod: counts as a failed connect. */
    synchronized void connectionLostSoon(String problem) {
        openConnections = Math.max(0, openConnections - 1);
        failed(problem);
    }

    private void failed(String problem) {
        connectFailures++;
        lastProblem = problem;
        long delay = backoff.nextDelayMillis();
        nextAttemptNanos = System.nanoTime() + delay * 1_000_000L;
        nextAttemptAt = Instant.now().plusMillis(delay);
        backingOff = true;
        if (!reportedUnreachable) {
            reportedUnreachable = true;
            LOG.warn("{}: {}; calls go to the other addresses, if any; next attempt in {} ms (backoff up to the"
                    + " reconnectMaxDelay)", name, problem, delay);
        } else {
            LOG.debug("{}: {}; next attempt in {} ms", name, problem, delay);
        }
    }

    /**
     * An established connection closed after it proved stable, or by the pool; a close by the peer is remembered as
     * the last problem.
     */
    synchronized void connectionClosed(String problemOrNull) {
        openConnections = Math.max(0, openConnections - 1);
        if (problemOrNull != null) {
            lastProblem = problemOrNull;
        }
    }

    synchronized State state() {
        if (openConnections > 0) {
            return State.CONNECTED;
        }
        return backingOff ? State.BACKING_OFF : State.IDLE;
    }

    synchronized long connectAttempts() {
        return connectAttempts;
    }

    /** One line for an error message: the last problem and when the next attempt is. */
    synchronized String describeForError() {
        if (!backingOff) {
            return address + " (" + (lastProblem == null ? "not tried yet" : lastProblem) + ")";
        }
        long waitMillis = Math.max(0, (nextAttemptNanos - System.nanoTime()) / 1_000_000L);
        return lastProblem + " (next attempt in " + waitMillis + " ms, at " + nextAttemptAt + ")";
    }

    synchronized RpcAddressStatus snapshot() {
        return new RpcAddressStatus(address.toString(), state().name(), openConnections,
                backingOff ? nextAttemptAt : null, lastProblem, connectAttempts, connectFailures);
    }
}
