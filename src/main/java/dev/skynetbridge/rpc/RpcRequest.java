package dev.skynetbridge.rpc;

import dev.skynetbridge.protocol.rpc.RequestHeader;
import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.ServiceRpcIn;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** One call a caller made to an {@link RpcServer}, ready for its {@link RpcRequestHandler}; replied to once. */
public final class RpcRequest {

    private static final RequestInfo NO_REQUEST_INFO = new RequestInfo("", "", "", 0);

    private final RpcCallerConnection connection;
    private final RequestHeader header;
    private final ServiceRpcIn body;
    private final Map<String, Object> in;
    private final AtomicBoolean replied = new AtomicBoolean();
    private final long receivedNanos = System.nanoTime();

    RpcRequest(RpcCallerConnection connection, RequestHeader header, ServiceRpcIn body, Map<String, Object> in) {
        this.connection = connection;
        this.header = header;
        this.body = body;
        this.in = in;
    }

    /** The method called, e.g. Upcase. */
    public String method() {
        return body.method();
    }

    /** The seq of the call on its connection. */
    public long seq() {
        return header.seq();
    }

    /** The servicemethod of the request header, e.g. Echo.Forward. */
    public String serviceMethod() {
        return header.serviceMethod();
    }

    /** The {@code in} document as plain values. */
    public Map<String, Object> in() {
        return in;
    }

    /** The clientid the caller sent, or the one this server handed it when it sent none. */
    public String clientId() {
        return body.clientId().isEmpty() ? connection.clientId() : body.clientId();
    }

    /** The requestinfo the caller sent; all fields empty when it sent none. */
    public RequestInfo requestInfo() {
        return body.requestInfo() != null ? body.requestInfo() : NO_REQUEST_INFO;
    }

    /** requestinfo.originaddress; as the Go service does, the caller itself when it left that empty. */
    public String originAddress() {
        String origin = requestInfo().originAddress();
        return origin.isEmpty() ? connection.remoteAddress() : origin;
    }

    /** The caller's address as this server sees it. */
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    /**
     * Sends the response pair; only the first call counts. May be called from any thread.
     *
     * @param out       the {@code out} BSON document
     * @param errString the method's error, or null or empty for success
     */
    public void reply(byte[] out, String errString) {
        if (replied.compareAndSet(false, true)) {
            connection.statistics().serverCall(receivedNanos, errString != null && !errString.isEmpty());
            connection.reply(this, out, errString);
        }
    }
}
