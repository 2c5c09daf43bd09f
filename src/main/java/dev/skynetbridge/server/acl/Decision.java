package dev.skynetbridge.server.acl;

/** The answer to "may this connection open / send on this channel?". */
public enum Decision {
    GRANTED,
    /** A {@code deny} rule of the token names the channel: deny wins over every allow. */
    DENIED_BY_RULE,
    /** No allow rule of the token covers the channel for what was asked. */
    NO_MATCHING_RULE;

    public boolean granted() {
        return this == GRANTED;
    }
}
