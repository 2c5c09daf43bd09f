package dev.skynetbridge.rpc;

import dev.skynetbridge.protocol.rpc.BsonFrameReader;
import java.util.Set;

/**
 * Settings of an {@link RpcServer}; validated on construction (an IllegalArgumentException names the setting).
 *
 * @param host            the interface to listen on
 * @param port            the TCP port; 0 picks a free one
 * @param methods         the methods served; calls to others get Go's {@code No such method "X"}; empty: all
 * @param registered      the registered flag of the service handshake; false announces a service that will not
 *                        answer (the handshake is sent and the connection closed, as a Go service does)
 * @param maxConnections  callers served at once; more are closed at once
 * @param maxInFlight     calls of one caller in the handler at once; at the bound reading from it pauses
 * @param maxDocumentSize largest BSON document accepted from a caller, in bytes
 */
public record RpcServerOptions(String host, int port, Set<String> methods, boolean registered, int maxConnections,
                               int maxInFlight, int maxDocumentSize) {

    public RpcServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be set (0.0.0.0 for every interface)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 but is " + port);
        }
        methods = Set.copyOf(methods);
        RpcClientOptions.requirePositive("maxConnections", maxConnections);
        RpcClientOptions.requirePositive("maxInFlight", maxInFlight);
        if (maxDocumentSize < BsonFrameReader.MIN_DOCUMENT_SIZE) {
            throw new IllegalArgumentException("maxDocumentSize must be at least " + BsonFrameReader.MIN_DOCUMENT_SIZE
                    + " bytes but is " + maxDocumentSize);
        }
    }

    /** The same settings serving only {@code served} (empty: every method). */
    public RpcServerOptions withMethods(Set<String> served) {
        return new RpcServerOptions(host, port, served, registered, maxConnections, maxInFlight, maxDocumentSize);
    }

    /** Whether a call to {@code method} reaches the handler. */
    public boolean serves(String method) {
        return methods.isEmpty() || methods.contains(method);
    }
}
