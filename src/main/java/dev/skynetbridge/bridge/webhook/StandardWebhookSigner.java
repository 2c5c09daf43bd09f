package dev.skynetbridge.bridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies requests the Standard Webhooks way (standardwebhooks.com): the headers
 * {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature}
 * holding {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}. Pure: no I/O.
 *
 * <p>The secret is {@code whsec_<base64 key>} as the spec writes it; a secret without that prefix
 * is used as raw UTF-8 key bytes, so a plain shared password also works.
 */
public final class StandardWebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** The spec's suggested tolerance against replayed requests. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String SECRET_PREFIX = "whsec_";
    private static final String VERSION = "v1";

    private final byte[] key;

    public StandardWebhookSigner(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("A webhook secret must not be empty");
        }
        this.key = decodeSecret(secret.trim());
    }

    private static byte[] decodeSecret(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A webhook secret starting with whsec_ must continue with base64 text: "
                    + e.getMessage(), e);
        }
    }

    /** The {@code webhook-signature} header value for one attempt. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        return VERSION + "," + Base64.getEncoder().encodeToString(mac(id, Long.toString(timestampSeconds), body));
    }

    /**
     * Whether the headers carry a valid signature of {@code body} made within {@code tolerance} of
     * {@code now}. Any one of several space-separated signatures may match (key rotation).
     */
    public Verification verify(String id, String timestamp, String signatures, byte[] body, Duration tolerance,
                               Instant now) {
        if (id == null || id.isBlank() || timestamp == null || signatures == null) {
            return Verification.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verification.BAD_TIMESTAMP;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(tolerance) > 0) {
            return Verification.TIMESTAMP_OUT_OF_TOLERANCE;
        }
        byte[] expected = mac(id, timestamp.trim(), body);
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !VERSION.equals(entry.substring(0, comma))) {
                continue;
            }
            byte[] candidate;
            try {
                candidate = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, candidate)) { // constant time
                return Verification.VALID;
            }
        }
        return Verification.BAD_SIGNATURE;
    }

    private byte[] mac(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The result of {@link #verify}; everything but VALID is a rejection, with the reason. */
    public enum Verification {
        VALID("valid"),
        MISSING_HEADERS("webhook-id, webhook-timestamp and webhook-signature headers are required"),
        BAD_TIMESTAMP("webhook-timestamp is not a whole number of seconds"),
        TIMESTAMP_OUT_OF_TOLERANCE("webhook-timestamp is too far from the server's clock (replayed or clock skew)"),
        BAD_SIGNATURE("no webhook-signature matches the body");

        private final String reason;

        Verification(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
