package dev.skynetbridge.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skynetbridge.protocol.rpc.RequestInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of multiplexed connections (poolSize) to one service. Calls take the slots round-robin; a slot
 * whose connection closed reconnects on its next use.
 *
 * <p>Addresses are tried in the order of the address option and the first that completes the handshake is taken,
 * so a service answering registered=false is skipped. An address whose connect failed, or whose connection was lost
 * within stableConnectionPeriod, is in backoff (exponential, from reconnectInitialDelay up to reconnectMaxDelay, with
 * jitter; reset once a connection stays up that long) and is skipped until it ends; when every address is in backoff
 * a call fails at once with one RpcConnectionException listing each address, its last problem and its next
 * attempt, instead of waiting for a connect timeout. A slot connected to a less preferred address tries
 * the preferred one again in the background once its backoff ends, and swaps over when that succeeds (the old
 * connection closes after its calls in flight complete).
 *
 * <p>A call whose connection drops while it is in flight fails; it is not retried on another address, because the
 * service may have run it (only the caller knows whether the method is idempotent).
 */
public final class RpcClientPool {

    private static final Logger LOG = LoggerFactory.getLogger(RpcClientPool.class);

    private final Vertx vertx;
    private final NetClient netClient;
    private final String name;
    private final String serviceName;
    private final List<RpcAddressState> addresses;
    private final RpcClientOptions options;
    private final RpcStatistics statistics;
    private final List<Future<RpcClientConnection>> slots;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param name        for log lines and error messages (the endpoint as the user wrote it)
     * @param serviceName the name the service must announce in its handshake
     */
    public RpcClientPool(Vertx vertx, String name, String serviceName, RpcClientOptions options,
                         RpcStatistics statistics) {
        this.vertx = vertx;
        this.name = name;
        this.serviceName = serviceName;
        List<RpcAddress> addresses = options.addresses();
        List<RpcAddressState> states = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            states.add(new RpcAddressState(name, addresses.get(i), i,
                    options.reconnectInitialDelayMillis(), options.reconnectMaxDelayMillis()));
        }
        this.addresses = List.copyOf(states);
        this.options = options;
        this.statistics = statistics;
        this.netClient = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis()))
                .setTcpNoDelay(true));
        this.slots = new ArrayList<>(options.poolSize());
        for (int i = 0; i < options.poolSize(); i++) {
            slots.add(null);
        }
    }

    /**
     * Calls {@code method} on a connection of the pool. The future completes with the response, or fails with
     * {@link java.util.concurrent.TimeoutException} (no response within {@code timeoutMillis}),
     * {@link RpcConnectionException} (no address reachable, or the connection lost while the call was in flight:
     * not retried, the service may have run it) or {@link RejectedExecutionException} (maxInFlight calls pending).
     * A call whose connection closed between being picked and the write was never sent, so it is tried once more.
     */
    public Future<RpcResponse> call(String method, byte[] inDocument, RequestInfo requestInfo, long timeoutMillis) {
        long start = System.nanoTime();
        return connection()
                .compose(connection -> connection.call(method, inDocument, requestInfo, timeoutMillis))
                .recover(failure -> failure instanceof RpcCallNotSentException
                        ? connection().compose(connection -> connection.call(method, inDocument, requestInfo,
                                timeoutMillis))
                        : Future.failedFuture(failure))
                .onComplete(result -> statistics.clientCall(start, result.failed() || result.result().header().isError()
                        || hasErrString(result.result())));
    }

    private static boolean hasErrString(RpcResponse response) {
        String errString = response.body() == null ? null : response.body().errString();
        return errString != null && !errString.isEmpty();
    }

    /** A connection ready for calls: an open one, the one being opened, or a new one. */
    private Future<RpcClientConnection> connection() {
        if (closed) {
            return Future.failedFuture(new RpcConnectionException(name + " is stopped"));
        }
        int index = Math.floorMod(nextSlot.getAndIncrement(), slots.size());
        synchronized (slots) {
            Future<RpcClientConnection> slot = slots.get(index);
            if (slot != null && !slot.isComplete()) {
                return slot;
            }
            if (slot != null && slot.succeeded() && slot.result().isUsable()) {
                winBackPreferredAddress(index, slot);
                return slot;
            }
            Future<RpcClientConnection> opening = connectToFirstAvailable();
            slots.set(index, opening);
            return opening;
        }
    }

    /** Per address, in the order of the address option. */
    public List<RpcAddressStatus> addressStatuses() {
        return addresses.stream().map(RpcAddressState::snapshot).toList();
    }

    private Future<RpcClientConnection> connectToFirstAvailable() {
        List<RpcAddressState> due = addresses.stream().filter(RpcAddressState::isDue).toList();
        if (due.isEmpty()) {
            statistics.callsFailedAllAddressesBackingOff.incrementAndGet();
            return Future.failedFuture(noAddressAvailable());
        }
        return connectInOrder(due, 0);
    }

    private Future<RpcClientConnection> connectInOrder(List<RpcAddressState> candidates, int index) {
        if (index >= candidates.size()) {
            return Future.failedFuture(noAddressAvailable());
        }
        return open(candidates.get(index)).recover(failure -> connectInOrder(candidates, index + 1));
    }

    private Future<RpcClientConnection> open(RpcAddressState state) {
        state.attemptStarted();
        return RpcClientConnection.open(vertx, netClient, name, state.address(), serviceName,
                        options, statistics)
                .onFailure(failure -> state.connectFailed(failure.getMessage()))
                .onSuccess(connection -> watchStability(state, connection));
    }

    /**
     * Tells the address state whether the connection proved stable: it stayed up for stableConnectionPeriod (the
     * backoff starts over) or it was lost sooner, closed by the service or dropped for malformed data (a failure, so
     * such a service is not reconnected on every call).
     */
    private void watchStability(RpcAddressState state, RpcClientConnection connection) {
        state.connected();
        long stablePeriod = options.stableConnectionPeriodMillis();
        long connectedAtNanos = System.nanoTime();
        long stableTimer = -1;
        if (stablePeriod == 0) {
            state.connectionStable();
        } else {
            stableTimer = vertx.setTimer(stablePeriod, id -> {
                if (!connection.closed().isComplete()) {
                    state.connectionStable();
                }
            });
        }
        long timerToCancel = stableTimer;
        connection.closed().onComplete(closure -> {
            if (timerToCancel >= 0) {
                vertx.cancelTimer(timerToCancel);
            }
            String problem = closure.result();
            long livedMillis = (System.nanoTime() - connectedAtNanos) / 1_000_000L;
            if (problem != null && livedMillis < stablePeriod) {
                state.connectionLostSoon(problem + " (" + livedMillis + " ms after its handshake, within"
                        + " stableConnectionPeriod=" + stablePeriod + " ms: counts as a failed connect)");
                return;
            }
            if (problem != null) {
                state.connectionStable(); // it lived long enough even if the timer has not fired yet
                LOG.debug("{}: {}; the next call reconnects", name, problem);
            }
            state.connectionClosed(problem);
        });
    }

    private RpcConnectionException noAddressAvailable() {
        List<String> problems = addresses.stream().map(RpcAddressState::describeForError).toList();
        return new RpcConnectionException(name + ": no service instance is reachable: "
                + String.join("; ", problems) + "; check the address option and that the service '" + serviceName
                + "' is running and registered");
    }

    /**
     * If the slot's connection goes to a less preferred address and a preferred one is out of backoff, connects to
     * that one in the background and swaps it in; the call that noticed goes on over the current connection.
     */
    private void winBackPreferredAddress(int index, Future<RpcClientConnection> current) {
        int currentPreference = addressOf(current.result()).preference();
        for (int i = 0; i < currentPreference; i++) {
            RpcAddressState preferred = addresses.get(i);
            if (preferred.tryStartProbe()) {
                open(preferred).onComplete(result -> {
                    preferred.probeEnded();
                    if (result.failed()) {
                        return;
                    }
                    boolean swapped;
                    synchronized (slots) {
                        swapped = !closed && slots.get(index) == current;
                        if (swapped) {
                            slots.set(index, Future.succeededFuture(result.result()));
                        }
                    }
                    if (swapped) {
                        current.result().retireWhenIdle("replaced by a connection to the preferred address "
                                + preferred.address());
                    } else {
                        result.result().closeByPool("not needed: the slot changed while connecting");
                    }
                });
                return;
            }
        }
    }

    private RpcAddressState addressOf(RpcClientConnection connection) {
        for (RpcAddressState state : addresses) {
            if (state.address().equals(connection.address())) {
                return state;
            }
        }
        throw new IllegalStateException("connection to an address not in the pool: " + connection.address());
    }

    /** Closes every connection (calls in flight on them fail); the pool takes no more calls. */
    public void close() {
        closed = true;
        try {
            synchronized (slots) {
                for (Future<RpcClientConnection> slot : slots) {
                    if (slot != null) {
                        slot.onSuccess(connection -> connection.closeByPool("closed because the pool closed"));
                    }
                }
            }
            netClient.close();
        } catch (RejectedExecutionException e) {
            // Vert.x was closed first (its owner stopped before the pool was closed): its sockets are gone.
            LOG.debug("{}: Vert.x already closed while stopping the pool", name);
        }
    }
}
