package dev.skynetbridge.camel.rpc;

import org.apache.camel.CamelException;

/**
 * The service answered with an RPC-level error (the response header's {@code error}), e.g.
 * {@code No such method "Nope"}: the call did not reach the method.
 */
public class SkynetRpcException extends CamelException {

    private final String address;
    private final String method;
    private final String rpcError;

    public SkynetRpcException(String address, String method, String rpcError) {
        super("skynet RPC error from " + address + " calling " + method + ": " + rpcError);
        this.address = address;
        this.method = method;
        this.rpcError = rpcError;
    }

    public String getAddress() {
        return address;
    }

    public String getMethod() {
        return method;
    }

    /** The {@code error} text exactly as the service sent it. */
    public String getRpcError() {
        return rpcError;
    }
}
