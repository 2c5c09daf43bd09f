package dev.skynetbridge.protocol.rpc;

/**
 * Go net/rpc response header.
 *
 * @param serviceMethod echoes the request's servicemethod
 * @param seq           echoes the request's seq
 * @param error         RPC-level error text (e.g. {@code No such method "Nope"}); empty when the call ran
 */
public record ResponseHeader(String serviceMethod, long seq, String error) {

    public boolean isError() {
        return error != null && !error.isEmpty();
    }
}
