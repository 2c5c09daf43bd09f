package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.server.acl.Decision;
import dev.skynetbridge.server.acl.TokenRules;
import dev.skynetbridge.support.TokenBucket;

/**
 * What one connection may do, checked on its event loop: its identity's rules (replaced by a
 * reload), its channel limit and its two rate buckets. Everything a request costs here is a few
 * hash lookups; nothing scans the rules.
 */
final class ConnectionAccess {

    /** An error frame for a client over a rate goes out at most this often, however much it sends. */
    private static final long RATE_ERROR_INTERVAL_NANOS = 1_000_000_000L;

    private final Identity identity;
    private final ConnectionLimits limits;
    private final TokenBucket messages;
    private final TokenBucket bytes;
    private volatile TokenRules rules;
    private long droppedForRate;
    private long nextRateError = System.nanoTime();

    ConnectionAccess(Identity identity, TokenRules rules, ConnectionLimits limits) {
        this.identity = identity;
        this.rules = rules;
        this.limits = limits;
        this.messages = limits.messagesPerSecond() > 0
                ? new TokenBucket(limits.messagesPerSecond(), limits.messageBurst()) : null;
        this.bytes = limits.bytesPerSecond() > 0 ? new TokenBucket(limits.bytesPerSecond(), limits.byteBurst()) : null;
    }

    Identity identity() {
        return identity;
    }

    TokenRules rules() {
        return rules;
    }

    void rules(TokenRules replacement) {
        rules = replacement;
    }

    /**
     * Charges one request of {@code size} bytes to the rate buckets.
     *
     * @return null if it may be handled, else the limit it is over (the request is to be dropped)
     */
    Refusal chargeRequest(int size) {
        if (messages != null && !messages.tryTake(1)) {
            droppedForRate++;
            return Refusal.MESSAGE_RATE;
        }
        if (bytes != null && !bytes.tryTake(size)) {
            droppedForRate++;
            return Refusal.BYTE_RATE;
        }
        return null;
    }

    /** Whether a dropped request should get an error frame: the first, then one a second. */
    boolean rateErrorDue() {
        long now = System.nanoTime();
        if (now - nextRateError >= 0) {
            nextRateError = now + RATE_ERROR_INTERVAL_NANOS;
            return true;
        }
        return false;
    }

    long droppedForRate() {
        return droppedForRate;
    }

    /** Whether one more channel may be opened with {@code open} open already. */
    boolean mayOpenAnother(int open) {
        return limits.channelsPerConnection() == 0 || open < limits.channelsPerConnection();
    }

    Decision open(Channel channel) {
        return rules.open(channel);
    }

    Decision send(Channel channel) {
        return rules.send(channel);
    }

    // ------------------------------------------------------------------ what the client is told

    String refusedOpen(Channel channel, Decision decision) {
        if (channel.isWildcard() && decision == Decision.NO_MATCHING_RULE) {
            return "cannot open \"*\": " + who() + " needs a read rule on \"*\" to listen to every channel";
        }
        return "cannot open " + display(channel) + ": " + reason(decision, "read");
    }

    String refusedSend(Channel channel, Decision decision) {
        return "cannot send on " + display(channel) + ": " + reason(decision, "write");
    }

    String lostRead(Channel channel) {
        return "channel " + display(channel) + " closed: the access file changed"
                + " and " + who() + " may no longer read it";
    }

    String tooManyChannels(Channel channel) {
        return "cannot open " + display(channel) + ": " + limits.channelsPerConnection()
                + " channels are open already, the most one connection may have"
                + " (skynet.server.limit.channels-per-connection); close some first";
    }

    String overRate(Refusal refusal) {
        String limit = refusal == Refusal.MESSAGE_RATE
                ? limits.messagesPerSecond() + " requests a second (burst " + limits.messageBurst()
                  + ", skynet.server.limit.messages-per-second)"
                : limits.bytesPerSecond() + " bytes a second (burst " + limits.byteBurst()
                  + ", skynet.server.limit.bytes-per-second)";
        return "too fast: over " + limit + "; " + droppedForRate + " requests dropped so far, send more slowly";
    }

    /** The canonical form (n:42, s:42) keeps numbers and strings apart; the wildcard is written as the client did. */
    private static String display(Channel channel) {
        return channel.isWildcard() ? "\"*\"" : channel.canonical();
    }

    private String reason(Decision decision, String right) {
        return decision == Decision.DENIED_BY_RULE ? "a deny rule of " + who() + " names it"
                : who() + " has no " + right + " rule that covers it";
    }

    private String who() {
        return identity.kind() == Identity.Kind.ANONYMOUS ? "an anonymous connection (no token)"
                : "token " + identity.tokenName();
    }
}
