package dev.skynetbridge.camel.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skynetbridge.camel.rpc.SkynetRpcConfiguration.HostAndPort;
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
 * a call fails at once with one SkynetRpcConnectionException listing each address, its last problem and its next
 * attempt, instead of waiting for a connect timeout. A slot connected to a less preferred address tries
 * the preferred one again in the background once its backoff ends, and swaps over when that succeeds (the old
 * connection closes after its calls in flight complete).
 *
 * <p>A call whose connection drops while it is in flight fails; it is not retried on another address, because the
 * service may have run it (only the route knows whether the method is idempotent).
 */
final class SkynetRpcClientPool {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetRpcClientPool.class);

    private final Vertx vertx;
    private final NetClient netClient;
    private final String endpointName;
    private final String serviceName;
    private final List<SkynetRpcAddressState> addresses;
    private final SkynetRpcConfiguration configuration;
    private final SkynetRpcStatistics statistics;
    private final List<Future<SkynetRpcClientConnection>> slots;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private volatile boolean closed;

    SkynetRpcClientPool(Vertx vertx, String endpointName, String serviceName, List<HostAndPort> addresses,
                        SkynetRpcConfiguration configuration, SkynetRpcStatistics statistics) {
        this.vertx = vertx;
        this.endpointName = endpointName;
        this.serviceName = serviceName;
        List<SkynetRpcAddressState> states = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            states.add(new SkynetRpcAddressState(endpointName, addresses.get(i), i,
                    configuration.getReconnectInitialDelay(), configuration.getReconnectMaxDelay()));
        }
        this.addresses = List.copyOf(states);
        this.configuration = configuration;
        this.statistics = statistics;
        this.netClient = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, configuration.getConnectTimeout()))
                .setTcpNoDelay(true));
        this.slots = new ArrayList<>(configuration.getPoolSize());
        for (int i = 0; i < configuration.getPoolSize(); i++) {
            slots.add(null);
        }
    }

    /** A connection ready for calls: an open one, the one being opened, or a new one. */
    Future<SkynetRpcClientConnection> connection() {
        if (closed) {
            return Future.failedFuture(new SkynetRpcConnectionException(endpointName + " is stopped"));
        }
        int index = Math.floorMod(nextSlot.getAndIncrement(), slots.size());
        synchronized (slots) {
            Future<SkynetRpcClientConnection> slot = slots.get(index);
            if (slot != null && !slot.isComplete()) {
                return slot;
            }
            if (slot != null && slot.succeeded() && slot.result().isUsable()) {
                winBackPreferredAddress(index, slot);
                return slot;
            }
            Future<SkynetRpcClientConnection> opening = connectToFirstAvailable();
            slots.set(index, opening);
            return opening;
        }
    }

    /** Per address, in the order of the address option. */
    List<SkynetRpcAddressStatus> addressStatuses() {
        return addresses.stream().map(SkynetRpcAddressState::snapshot).toList();
    }

    private Future<SkynetRpcClientConnection> connectToFirstAvailable() {
        List<SkynetRpcAddressState> due = addresses.stream().filter(SkynetRpcAddressState::isDue).toList();
        if (due.isEmpty()) {
            statistics.callsFailedAllAddressesBackingOff.incrementAndGet();
            return Future.failedFuture(noAddressAvailable());
        }
        return connectInOrder(due, 0);
    }

    private Future<SkynetRpcClientConnection> connectInOrder(List<SkynetRpcAddressState> candidates, int index) {
        if (index >= candidates.size()) {
            return Future.failedFuture(noAddressAvailable());
        }
        return open(candidates.get(index)).recover(failure -> connectInOrder(candidates, index + 1));
    }

    private Future<SkynetRpcClientConnection> open(SkynetRpcAddressState state) {
        state.attemptStarted();
        return SkynetRpcClientConnection.open(vertx, netClient, endpointName, state.address(), serviceName,
                        configuration, statistics)
                .onFailure(failure -> state.connectFailed(failure.getMessage()))
                .onSuccess(connection -> watchStability(state, connection));
    }

    /**
     * Tells the address state whether the connection proved stable: it stayed up for stableConnectionPeriod (the
     * backoff starts over) or it was lost sooner, closed by the service or dropped for malformed data (a failure, so
     * such a service is not reconnected on every call).
     */
    private void watchStability(SkynetRpcAddressState state, SkynetRpcClientConnection connection) {
        state.connected();
        long stablePeriod = configuration.getStableConnectionPeriod();
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
                LOG.debug("{}: {}; the next call reconnects", endpointName, problem);
            }
            state.connectionClosed(problem);
        });
    }

    private SkynetRpcConnectionException noAddressAvailable() {
        List<String> problems = addresses.stream().map(SkynetRpcAddressState::describeForError).toList();
        return new SkynetRpcConnectionException(endpointName + ": no service instance is reachable: "
                + String.join("; ", problems) + "; check the address option and that the service '" + serviceName
                + "' is running and registered");
    }

    /**
     * If the slot's connection goes to a less preferred address and a preferred one is out of backoff, connects to
     * that one in the background and swaps it in; the call that noticed goes on over the current connection.
     */
    private void winBackPreferredAddress(int index, Future<SkynetRpcClientConnection> current) {
        int currentPreference = addressOf(current.result()).preference();
        for (int i = 0; i < currentPreference; i++) {
            SkynetRpcAddressState preferred = addresses.get(i);
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

    private SkynetRpcAddressState addressOf(SkynetRpcClientConnection connection) {
        for (SkynetRpcAddressState state : addresses) {
            if (state.address().equals(connection.address())) {
                return state;
            }
        }
        throw new IllegalStateException("connection to an address not in the pool: " + connection.address());
    }

    void close() {
        closed = true;
        try {
            synchronized (slots) {
                for (Future<SkynetRpcClientConnection> slot : slots) {
                    if (slot != null) {
                        slot.onSuccess(connection -> connection.closeByPool("closed because the producer stopped"));
                    }
                }
            }
            netClient.close();
        } catch (RejectedExecutionException e) {
            // Vert.x was closed first (the component stops before the producers of a template): its sockets are gone.
            LOG.debug("{}: Vert.x already closed while stopping the pool", endpointName);
        }
    }
}
