package dev.skynetbridge.rpc;

/**
 * A call could not be carried: no address accepted the connection, every service refused it
 * ({@code registered=false}), or the connection closed while the call was in flight. The message says which
 * address and what happened.
 */
public class RpcConnectionException extends Exception {

    public RpcConnectionException(String message) {
        super(message);
    }

    public RpcConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
