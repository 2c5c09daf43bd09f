package dev.skynetbridge.protocol.rpc;

/**
 * Call metadata carried in {@link ServiceRpcIn}. A Go service crashes when it is missing, so it is always sent.
 *
 * @param originAddress     address of the originating client; empty lets the service fill in the remote address
 * @param connectionAddress address of the connection the request came through; usually empty from clients
 * @param requestId         a UUID per call (may be reused when a call results from another call)
 * @param retryCount        how many times this call was tried before (BSON int32 on the wire)
 */
public record RequestInfo(String originAddress, String connectionAddress, String requestId, int retryCount) {
}
