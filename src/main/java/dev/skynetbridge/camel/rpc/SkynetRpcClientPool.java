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
 * whose connection closed reconnects on its next use. Connecting tries the addresses in order and takes the first
 * that completes the handshake, so a service answering registered=false is skipped.
 */
final class SkynetRpcClientPool {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetRpcClientPool.class);

    private final Vertx vertx;
    private final NetClient netClient;
    private final String endpointName;
    private final String serviceName;
    private final List<HostAndPort> addresses;
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
        this.addresses = List.copyOf(addresses);
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
            if (slot != null && (!slot.isComplete() || (slot.succeeded() && slot.result().isUsable()))) {
                return slot;
            }
            Future<SkynetRpcClientConnection> opening = connectToFirstAvailable(0, new ArrayList<>());
            slots.set(index, opening);
            return opening;
        }
    }

    private Future<SkynetRpcClientConnection> connectToFirstAvailable(int index, List<String> failures) {
        if (index >= addresses.size()) {
            return Future.failedFuture(new SkynetRpcConnectionException(endpointName + ": no service instance"
                    + " accepted the connection (" + String.join("; ", failures) + "); check the address option and"
                    + " that the service '" + serviceName + "' is running and registered"));
        }
        HostAndPort address = addresses.get(index);
        return SkynetRpcClientConnection.open(vertx, netClient, endpointName, address, serviceName, configuration,
                        statistics)
                .recover(failure -> {
                    // The last failure is reported once, inside the exception that lists them all.
                    if (index + 1 < addresses.size()) {
                        LOG.warn("{}: {}; trying the next address", endpointName, failure.getMessage());
                    }
                    failures.add(failure.getMessage());
                    return connectToFirstAvailable(index + 1, failures);
                });
    }

    void close() {
        closed = true;
        try {
            synchronized (slots) {
                for (Future<SkynetRpcClientConnection> slot : slots) {
                    if (slot != null) {
                        slot.onSuccess(connection -> connection.close("closed because the producer stopped"));
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
