package dev.skynetbridge.rpc;

/** The connection was closed before the call was written: the service cannot have run it, so a retry is safe. */
public class RpcCallNotSentException extends RpcConnectionException {

    public RpcCallNotSentException(String message) {
        super(message);
    }
}
