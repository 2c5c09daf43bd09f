package dev.skynetbridge.bridge.webhook;

import dev.skynetbridge.camel.SkynetConstants;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards {@code POST /hooks/<name>} (Kamelet {@code skynet-webhook-source}): only POST, a body no
 * larger than {@code maxBodySize}, and a valid bearer token and/or Standard Webhooks signature.
 * A rejected request is answered at once with a 4xx and {@code {"error": "..."}} and goes no
 * further. An accepted JSON body (by Content-Type) becomes a value for the channel; other bodies
 * go on as bytes, which the skynet: producer sends as text when they are UTF-8.
 *
 * <p>Every request header is removed before the message reaches {@code skynet:}, so a caller
 * cannot steer it with {@code SkynetOverrideChannel} or {@code SkynetExtras} headers, and
 * nothing of the request is echoed in the response.
 */
public class InboundWebhookGuard {

    private static final Logger LOG = LoggerFactory.getLogger(InboundWebhookGuard.class);

    private String name;
    private String token = "";
    private String hmacSecret = "";
    private int maxBodySize = 65_536;
    private long timestampTolerance = StandardWebhookSigner.DEFAULT_TOLERANCE.toSeconds();
    private StandardWebhookSigner verifier;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /** Called once when the route is created: an unguarded hook would let anyone write to the channel. */
    public void validate() {
        if (token.isEmpty() && hmacSecret.isEmpty()) {
            throw new IllegalArgumentException("Webhook in '" + name + "': set the token parameter (bearer token)"
                    + " or hmacSecret (Standard Webhooks signature); without either anyone could post into Skynet");
        }
        if (maxBodySize < 1) {
            throw new IllegalArgumentException("Webhook in '" + name + "': maxBodySize must be at least 1, was "
                    + maxBodySize);
        }
        verifier = hmacSecret.isEmpty() ? null : new StandardWebhookSigner(hmacSecret);
    }

    /** First step of the route: lets a good request through as the channel's payload, answers a bad one. */
    public void check(Exchange exchange) {
        Message message = exchange.getMessage();
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        if (!"POST".equalsIgnoreCase(method)) {
            reject(exchange, 405, "use POST", Map.of("Allow", "POST"));
            return;
        }
        byte[] body = message.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodySize) {
            reject(exchange, 413, "body is " + body.length + " bytes; this hook takes at most " + maxBodySize, Map.of());
            return;
        }
        if (!token.isEmpty() && !bearerMatches(message.getHeader("Authorization", String.class))) {
            reject(exchange, 401, "missing or wrong bearer token (Authorization: Bearer <token>)",
                    Map.of("WWW-Authenticate", "Bearer"));
            return;
        }
        if (verifier != null) {
            StandardWebhookSigner.Verification verification = verifier.verify(
                    message.getHeader(StandardWebhookSigner.ID_HEADER, String.class),
                    message.getHeader(StandardWebhookSigner.TIMESTAMP_HEADER, String.class),
                    message.getHeader(StandardWebhookSigner.SIGNATURE_HEADER, String.class),
                    body, Duration.ofSeconds(timestampTolerance), Instant.now());
            if (verification != StandardWebhookSigner.Verification.VALID) {
                reject(exchange, 401, verification.reason(), Map.of());
                return;
            }
        }
        Object payload = body;
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                payload = JsonValues.parse(body);
            } catch (IOException | RuntimeException e) {
                reject(exchange, 400, "Content-Type says JSON but the body is not: " + e.getMessage(), Map.of());
                return;
            }
        }
        message.removeHeaders("*");
        message.setBody(payload);
    }

    /** Last step: tells the caller the message is on the channel, with its Skynet message id. */
    public void reply(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(SkynetConstants.MESSAGE_ID, String.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sent", true);
        answer.put("id", id);
        message.removeHeaders("*");
        respond(message, 200, answer);
        accepted.increment();
    }

    private boolean bearerMatches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8)); // constant time
    }

    private void reject(Exchange exchange, int status, String error, Map<String, String> headers) {
        rejected.increment();
        LOG.info("Webhook in '{}': rejected a request with {}: {} ({} rejected so far)", name, status, error,
                rejected.sum());
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        headers.forEach(message::setHeader);
        respond(message, status, Map.of("error", error));
        exchange.setRouteStop(true);
    }

    private static void respond(Message message, int status, Map<String, Object> json) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(JsonValues.toJson(json));
    }

    public long getAcceptedCount() {
        return accepted.sum();
    }

    public long getRejectedCount() {
        return rejected.sum();
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setToken(String token) {
        this.token = token == null ? "" : token.trim();
    }

    public void setHmacSecret(String hmacSecret) {
        this.hmacSecret = hmacSecret == null ? "" : hmacSecret.trim();
    }

    public void setMaxBodySize(int maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public void setTimestampTolerance(long seconds) {
        this.timestampTolerance = seconds;
    }
}
