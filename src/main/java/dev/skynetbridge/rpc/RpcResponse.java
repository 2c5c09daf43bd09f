package dev.skynetbridge.rpc;

import dev.skynetbridge.protocol.rpc.ResponseHeader;
import dev.skynetbridge.protocol.rpc.ServiceRpcOut;

/**
 * What a call yields: the response pair as the service sent it (its RPC-level {@code error} and the method's
 * {@code errstring} not yet interpreted), and who answered.
 *
 * @param address  the service instance that answered
 * @param clientId the clientid that instance handed out in its handshake
 */
public record RpcResponse(RpcAddress address, String clientId, ResponseHeader header, ServiceRpcOut body) {

    /** The seq of the call on its connection. */
    public long seq() {
        return header.seq();
    }
}
