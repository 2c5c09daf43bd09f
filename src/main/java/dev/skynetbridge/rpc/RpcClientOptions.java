package dev.skynetbridge.rpc;

import dev.skynetbridge.protocol.rpc.BsonFrameReader;
import java.util.List;

/**
 * Settings of an {@link RpcClientPool}; validated on construction (an IllegalArgumentException names the setting).
 *
 * @param addresses                    the service instances, most preferred first (at least one)
 * @param connectTimeoutMillis         to open a TCP connection and receive the service handshake, per address
 * @param reconnectInitialDelayMillis  an address is skipped this long after its first failure; doubles per
 *                                     further failure (with jitter)
 * @param reconnectMaxDelayMillis      the longest such backoff
 * @param stableConnectionPeriodMillis a connection lost sooner after its handshake counts as a failed connect;
 *                                     0: every completed handshake counts as working
 * @param poolSize                     connections kept; calls are spread over them round-robin and multiplexed
 * @param maxInFlight                  calls pending on one connection at most; more fail at once
 * @param maxDocumentSize              largest BSON document accepted from the service, in bytes
 */
public record RpcClientOptions(List<RpcAddress> addresses, long connectTimeoutMillis, long reconnectInitialDelayMillis,
                               long reconnectMaxDelayMillis, long stableConnectionPeriodMillis, int poolSize,
                               int maxInFlight, int maxDocumentSize) {

    public RpcClientOptions {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one service address (host:port) is needed");
        }
        requirePositive("connectTimeout", connectTimeoutMillis);
        requirePositive("reconnectInitialDelay", reconnectInitialDelayMillis);
        if (reconnectMaxDelayMillis < reconnectInitialDelayMillis) {
            throw new IllegalArgumentException("reconnectInitialDelay=" + reconnectInitialDelayMillis
                    + " must not exceed reconnectMaxDelay=" + reconnectMaxDelayMillis);
        }
        if (stableConnectionPeriodMillis < 0) {
            throw new IllegalArgumentException("stableConnectionPeriod must be 0 or more but is "
                    + stableConnectionPeriodMillis);
        }
        requirePositive("poolSize", poolSize);
        requirePositive("maxInFlight", maxInFlight);
        if (maxDocumentSize < BsonFrameReader.MIN_DOCUMENT_SIZE) {
            throw new IllegalArgumentException("maxDocumentSize must be at least " + BsonFrameReader.MIN_DOCUMENT_SIZE
                    + " bytes but is " + maxDocumentSize);
        }
    }

    static void requirePositive(String setting, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(setting + " must be positive but is " + value);
        }
    }
}
