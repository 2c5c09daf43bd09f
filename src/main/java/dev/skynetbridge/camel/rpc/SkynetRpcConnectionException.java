package dev.skynetbridge.camel.rpc;

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
}
