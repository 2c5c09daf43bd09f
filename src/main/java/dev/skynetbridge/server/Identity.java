package dev.skynetbridge.server;

import dev.skynetbridge.server.acl.TokenHash;

/**
 * Who a connection is: a token (by name, with the hash it was verified against, so a reload that
 * changes the hash revokes it), an anonymous client, or anyone at all when there is no access file.
 */
record Identity(Kind kind, String tokenName, TokenHash hash) {

    enum Kind { OPEN, ANONYMOUS, TOKEN }

    static final Identity OPEN = new Identity(Kind.OPEN, null, null);
    static final Identity ANONYMOUS = new Identity(Kind.ANONYMOUS, null, null);

    static Identity token(String name, TokenHash hash) {
        return new Identity(Kind.TOKEN, name, hash);
    }

    /** For log lines and error texts: never the secret, which an identity does not hold. */
    String describe() {
        return switch (kind) {
            case OPEN -> "no access file";
            case ANONYMOUS -> "anonymous";
            case TOKEN -> "token " + tokenName;
        };
    }
}
