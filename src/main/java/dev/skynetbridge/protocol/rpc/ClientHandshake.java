package dev.skynetbridge.protocol.rpc;

/**
 * The client's answer to the {@link ServiceHandshake}.
 *
 * @param clientId the clientid the service handed out (2013 form); {@code null} for the 2012 form, an empty
 *                 document
 */
public record ClientHandshake(String clientId) {

    /** The 2012 form: {@code {}}. */
    public static final ClientHandshake EMPTY_2012 = new ClientHandshake(null);
}
