package dev.skynetbridge.protocol.rpc;

/**
 * Request body following a {@link RequestHeader}.
 *
 * @param clientId    the clientid from the service handshake
 * @param method      the service method to call, e.g. {@code Upcase}
 * @param requestInfo call metadata, never null on the wire
 * @param in          a complete BSON document holding the method's parameters (binary subtype 0 on the wire)
 */
public record ServiceRpcIn(String clientId, String method, RequestInfo requestInfo, byte[] in) {
}
