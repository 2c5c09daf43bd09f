package dev.skynetbridge.server.acl;

import dev.skynetbridge.protocol.Channel;

/**
 * What one token (or the anonymous block) may do, compiled from its rules: the channels it may
 * read (open and receive), write (send on) and those a deny rule names. Deny wins; otherwise any
 * allow that covers the channel grants; no match refuses. Immutable.
 */
public final class TokenRules {

    /** No access file: everything is allowed, as on the reference server. */
    public static final TokenRules UNRESTRICTED = new TokenRules(ChannelSet.ALL, ChannelSet.ALL, ChannelSet.NONE, 0);

    private final ChannelSet readable;
    private final ChannelSet writable;
    private final ChannelSet denied;
    private final int ruleCount;

    public TokenRules(ChannelSet readable, ChannelSet writable, ChannelSet denied, int ruleCount) {
        this.readable = readable;
        this.writable = writable;
        this.denied = denied;
        this.ruleCount = ruleCount;
    }

    /** Opening {@code "*"} needs a read rule on {@code "*"}; any other channel a read rule that covers it. */
    public Decision open(Channel channel) {
        if (denied.contains(channel)) {
            return Decision.DENIED_BY_RULE;
        }
        return readable.contains(channel) ? Decision.GRANTED : Decision.NO_MATCHING_RULE;
    }

    /** Sending to {@code "*"} (which reaches only {@code "*"} listeners) needs a write rule on {@code "*"}. */
    public Decision send(Channel channel) {
        if (denied.contains(channel)) {
            return Decision.DENIED_BY_RULE;
        }
        return writable.contains(channel) ? Decision.GRANTED : Decision.NO_MATCHING_RULE;
    }

    /** Whether a {@code "*"} listener of this token receives a message on this channel. */
    public boolean receivesAsWildcard(Channel channel) {
        return !denied.contains(channel);
    }

    /** Whether a {@code "*"} listener needs a per-message check at all. */
    public boolean hasDenyRules() {
        return !denied.isEmpty();
    }

    public int ruleCount() {
        return ruleCount;
    }
}
