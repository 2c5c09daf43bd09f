package dev.skynetbridge.camel.rpc;

import java.util.Map;

import org.apache.camel.CamelException;

/**
 * The method ran and returned an error (the response body's {@code errstring}). Distinct from
 * {@link SkynetRpcException} so routes can retry one and not the other.
 */
public class SkynetRpcMethodException extends CamelException {

    private final String address;
    private final String method;
    private final String errString;
    private final transient Map<String, Object> out;

    public SkynetRpcMethodException(String address, String method, String errString, Map<String, Object> out) {
        super("skynet RPC method " + method + " at " + address + " failed: " + errString);
        this.address = address;
        this.method = method;
        this.errString = errString;
        this.out = out;
    }

    public String getAddress() {
        return address;
    }

    public String getMethod() {
        return method;
    }

    /** The {@code errstring} text exactly as the service sent it. */
    public String getErrString() {
        return errString;
    }

    /** The {@code out} document sent alongside the error (Go services always send one), as plain values. */
    public Map<String, Object> getOut() {
        return out;
    }
}
