package dev.skynetbridge.protocol;

/**
 * A frame that does not follow the protocol. The message is the detail sent back to the
 * offending client, so it says what was wrong in words a person can act on.
 */
public class ProtocolException extends Exception {

    public ProtocolException(String detail) {
        super(detail, null, false, false);
    }
}
