package dev.skynetbridge.protocol.rpc;

/**
 * Go net/rpc request header.
 *
 * @param serviceMethod {@code "<Name>.Forward"}, Name being the service's reported name
 * @param seq           unique per connection; the response carries the same value (BSON int64 on the wire)
 */
public record RequestHeader(String serviceMethod, long seq) {

    /** The servicemethod a skynet client uses for every call to the named service. */
    public static String forwardMethodOf(String serviceName) {
        return serviceName + ".Forward";
    }
}
