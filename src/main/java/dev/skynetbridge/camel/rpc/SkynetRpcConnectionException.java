package dev.skynetbridge.camel.rpc;

import dev.skynetbridge.rpc.RpcConnectionException;
import org.apache.camel.CamelException;

/**
 * The call could not be carried: no address accepted the connection, every service refused it
 * ({@code registered=false}), or the connection closed while the call was in flight.
 */
public class SkynetRpcConnectionException extends CamelException {

    public SkynetRpcConnectionException(String message) {
        super(message);
    }

    public SkynetRpcConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The RPC client's failure as routes see it: the same message, cause and stack, a Camel exception type. */
    static SkynetRpcConnectionException of(RpcConnectionException failure) {
        SkynetRpcConnectionException converted = new SkynetRpcConnectionException(failure.getMessage(),
                failure.getCause());
        converted.setStackTrace(failure.getStackTrace());
        return converted;
    }
}
