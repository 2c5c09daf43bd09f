package dev.skynetbridge.protocol.rpc;

/**
 * Response body following a {@link ResponseHeader}.
 *
 * <p>After an RPC-level error the body is the empty document {@code 0500000000}: that is {@link #EMPTY}, with both
 * fields {@code null} (keys absent).
 *
 * @param out       a complete BSON document holding the method's result (binary subtype 0 on the wire), or null
 * @param errString the error the method itself returned; empty when it succeeded
 */
public record ServiceRpcOut(byte[] out, String errString) {

    /** The body sent after an RPC-level error: an empty document. */
    public static final ServiceRpcOut EMPTY = new ServiceRpcOut(null, null);

    public boolean isMethodError() {
        return errString != null && !errString.isEmpty();
    }
}
