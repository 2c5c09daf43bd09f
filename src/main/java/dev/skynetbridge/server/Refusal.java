package dev.skynetbridge.server;

/** Why the server refused something a client asked for; each reason has its own counter ({@link AccessMetrics}). */
public enum Refusal {
    /** open: no read rule of the token covers the channel. */
    OPEN_NO_RULE("open-no-rule"),
    /** open: a deny rule names the channel. */
    OPEN_DENIED("open-denied"),
    SEND_NO_RULE("send-no-rule"),
    SEND_DENIED("send-denied"),
    TOO_MANY_CHANNELS("too-many-channels"),
    /** Requests dropped over skynet.server.limit.messages-per-second. */
    MESSAGE_RATE("message-rate"),
    /** Requests dropped over skynet.server.limit.bytes-per-second. */
    BYTE_RATE("byte-rate"),
    /** Upgrade refused (401): the secret did not match the token's hash. */
    WRONG_SECRET("wrong-secret"),
    /** Upgrade refused (401): no token of that name in the file. */
    UNKNOWN_TOKEN("unknown-token"),
    /** Upgrade refused (401): not name:secret, or different tokens in path, query and header. */
    MALFORMED_TOKEN("malformed-token"),
    /** Upgrade refused (401): no token, and the file has no anonymous block. */
    ANONYMOUS("anonymous"),
    /** Upgrade refused (429). */
    CONNECTIONS_PER_ADDRESS("connections-per-address"),
    /** Upgrade refused (503). */
    CONNECTIONS_TOTAL("connections-total"),
    /** Upgrade refused (503): too many token checks waiting already. */
    AUTHENTICATION_BUSY("authentication-busy"),
    /** Connection closed (1008) by a reload: its token was removed or its hash changed. */
    REVOKED("revoked"),
    /** Channel closed by a reload: the token no longer may read it. */
    READ_LOST("read-lost");

    private final String key;

    Refusal(String key) {
        this.key = key;
    }

    /** The counter's name in metrics and health details. */
    public String key() {
        return key;
    }
}
