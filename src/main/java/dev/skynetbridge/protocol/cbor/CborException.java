package dev.skynetbridge.protocol.cbor;

import dev.skynetbridge.protocol.ProtocolException;

/** Bytes that are not the CBOR item that was expected; the message names the offset. */
public class CborException extends ProtocolException {

    public CborException(String detail) {
        super(detail);
    }

    static CborException at(String what, int offset) {
        return new CborException(what + " at offset " + offset);
    }
}
