package dev.skynetbridge.camel;

import java.util.Arrays;

/**
 * A payload as CBOR bytes, as opposed to JSON bytes. Converting a body to this type encodes it as
 * CBOR; a {@code skynet:} producer given one decodes it back to the value.
 */
public record CborBytes(byte[] bytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof CborBytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CborBytes[" + bytes.length + " bytes]";
    }
}
