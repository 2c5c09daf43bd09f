package dev.skynetbridge.server.acl;

import java.util.Locale;

/** The {@code allow:} value of a rule. */
public enum Access {
    READ, WRITE, READWRITE, DENY;

    public boolean reads() {
        return this == READ || this == READWRITE;
    }

    public boolean writes() {
        return this == WRITE || this == READWRITE;
    }

    /** @return null for an unknown word */
    static Access parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "read" -> READ;
            case "write" -> WRITE;
            case "readwrite" -> READWRITE;
            case "deny" -> DENY;
            default -> null;
        };
    }
}
