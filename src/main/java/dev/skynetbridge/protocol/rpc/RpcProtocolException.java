package dev.skynetbridge.protocol.rpc;

/**
 * The bytes received do not form a valid skynet RPC message: a bad length prefix, a document larger than
 * allowed, BSON that does not parse, or a field of the wrong type. The message says which.
 */
public class RpcProtocolException extends RuntimeException {

    public RpcProtocolException(String message) {
        super(message);
    }

    public RpcProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
