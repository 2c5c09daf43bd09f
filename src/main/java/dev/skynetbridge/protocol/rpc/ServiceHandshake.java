package dev.skynetbridge.protocol.rpc;

/**
 * First document on a connection, sent by the service.
 *
 * @param name       the service's name; {@code null} for the 2012 form, which has no {@code name} key
 * @param registered {@code false} means the service will not answer requests and closes the connection
 * @param clientId   a UUID the client must echo in every {@link ServiceRpcIn}
 */
public record ServiceHandshake(String name, boolean registered, String clientId) {

    /** True for the 2013 form, which carries the service name. */
    public boolean hasName() {
        return name != null;
    }
}
