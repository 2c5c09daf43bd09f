package dev.skynetbridge.bridge.webhook;

import dev.skynetbridge.camel.SkynetExchangeMapping;

import dev.skynetbridge.protocol.SkynetMessage;

import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.SkynetConstants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to deliver a Skynet message to a webhook: builds the body (once per message),
 * signs it (again for every attempt, so the timestamp is fresh), POSTs it through camel-http and
 * judges the answer. A failed attempt throws {@link WebhookDeliveryException}; the route's
 * dead-letter error handler then waits and calls this processor again, or gives up:
 *
 * <ul>
 *   <li>408, 429, 5xx and I/O errors (refused, reset, timeouts) are retried up to {@code maxRetries}
 *       times ({@link WebhookRetryWhile} tells the error handler);
 *   <li>other statuses are not retried: the message goes to the dead letter at once;
 *   <li>a {@code Retry-After} answer sets the next delay through Camel's {@code CamelRedeliveryDelay}
 *       header (capped by {@code maxRetryAfter}) instead of the backoff.
 * </ul>
 *
 * <p>The whole attempt is one route step because Camel redelivers only the step that failed.
 * Configured as a Kamelet bean (see {@code kamelets/skynet-webhook-sink.kamelet.yaml}). While its route runs it is
 * one of the context's {@link Bridges} (counters: {@link WebhookBridgeCounters}).
 */
public class WebhookSender extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final String USER_AGENT = "skynet-bridge";

    private String name;
    private String url;
    private String secret = "";
    private String bodyTemplate = "";
    private String contentType = "application/json";
    private long connectTimeout = 5_000;
    private long responseTimeout = 10_000;
    private long maxRetryAfter = 300_000;
    private int maxRetries = 5;

    private volatile Producer producer;
    private volatile Expression template;
    private volatile StandardWebhookSigner signer;

    private final LongAdder received = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private volatile long lastDeliveredMillis;
    /** False from a failed attempt until the next delivery. */
    private volatile boolean lastAttemptDelivered = true;
    private CamelContext camelContext;
    /** The user's route id (the Kamelet's parentRouteId); the bridge's name in metrics. */
    private String bridge = "";
    private Runnable removeFromBridges = () -> { };

    @Override
    protected void doStart() {
        if (camelContext != null) {
            removeFromBridges = Bridges.of(camelContext).add(bridge.isBlank() ? "webhook-" + name : bridge,
                    new WebhookBridgeCounters(this));
        }
    }

    @Override
    protected void doStop() {
        removeFromBridges.run();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        prepareOnce(exchange);
        Message message = exchange.getMessage();
        byte[] body = exchange.getProperty(WebhookExchangeProperties.BODY, byte[].class);
        int attempt = exchange.getProperty(WebhookExchangeProperties.ATTEMPTS, 0, Integer.class) + 1;
        exchange.setProperty(WebhookExchangeProperties.ATTEMPTS, attempt);
        if (attempt > 1) {
            retried.increment();
        }

        // Only the headers set here reach the receiver (camel-http sends every non-Camel header).
        message.removeHeaders("*");
        message.setBody(body);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader("User-Agent", USER_AGENT);
        if (signer != null) {
            String id = exchange.getProperty(WebhookExchangeProperties.WEBHOOK_ID, String.class);
            long timestamp = Instant.now().getEpochSecond();
            message.setHeader(StandardWebhookSigner.ID_HEADER, id);
            message.setHeader(StandardWebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
            message.setHeader(StandardWebhookSigner.SIGNATURE_HEADER, signer.sign(id, timestamp, body));
        }

        Integer status = null;
        String responseText = null;
        String retryAfterHeader = null;
        Throwable error = null;
        try {
            producer(exchange.getContext()).process(exchange);
            error = exchange.getException();
            exchange.setException(null);
        } catch (Exception e) {
            error = e;
        }
        Message response = takeResponse(exchange);
        if (response != null) {
            if (error == null) {
                status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                responseText = response.getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class);
                retryAfterHeader = response.getHeader("Retry-After", String.class);
            }
        }
        exchange.setProperty(WebhookExchangeProperties.STATUS, status);
        DeliveryOutcome outcome = error != null ? DeliveryOutcome.ofException(error)
                : status == null ? DeliveryOutcome.GIVE_UP : DeliveryOutcome.ofStatus(status);
        if (outcome == DeliveryOutcome.DELIVERED) {
            lastDeliveredMillis = System.currentTimeMillis();
            lastAttemptDelivered = true;
            delivered.increment();
            message.removeHeader(Exchange.REDELIVERY_DELAY);
            return;
        }
        failedAttempts.increment();
        lastAttemptDelivered = false;
        String reason = error != null ? "no answer: " + error
                : "HTTP " + status + (responseText == null || responseText.isBlank() ? "" : " " + responseText);
        exchange.setProperty(WebhookExchangeProperties.REASON, reason);
        Optional<Duration> retryAfter = RetryAfter.parse(retryAfterHeader, Instant.now());
        if (outcome == DeliveryOutcome.RETRY && retryAfter.isPresent()) {
            long delay = Math.min(retryAfter.get().toMillis(), maxRetryAfter);
            message.setHeader(Exchange.REDELIVERY_DELAY, delay);
        } else {
            message.removeHeader(Exchange.REDELIVERY_DELAY);
        }
        LOG.warn("Webhook {}: attempt {} of {} to {} failed ({}){}", name, attempt, maxRetries + 1, url, reason,
                outcome == DeliveryOutcome.GIVE_UP ? "; this status is not retried" : "");
        throw new WebhookDeliveryException("Webhook " + name + " to " + url + ": " + reason, status, outcome, error);
    }

    /** First attempt only: the body, the webhook id (the same for every retry) and what the dead letter needs. */
    private void prepareOnce(Exchange exchange) {
        if (exchange.getProperty(WebhookExchangeProperties.BODY) != null) {
            return;
        }
        received.increment();
        exchange.setProperty(WebhookExchangeProperties.SENDER, this);
        Message message = exchange.getMessage();
        String channelText = message.getHeader(SkynetConstants.CHANNEL, String.class);
        String messageId = message.getHeader(SkynetConstants.MESSAGE_ID, String.class);
        exchange.setProperty(WebhookExchangeProperties.NAME, name);
        exchange.setProperty(WebhookExchangeProperties.URL, url);
        exchange.setProperty(WebhookExchangeProperties.CHANNEL, channelText);
        exchange.setProperty(WebhookExchangeProperties.WEBHOOK_ID, "msg_" + (messageId != null ? messageId : UUID.randomUUID()));
        byte[] body;
        if (bodyTemplate == null || bodyTemplate.isBlank()) {
            // The default body is built from a Skynet message (set bodyTemplate for anything else).
            SkynetMessage skynet = SkynetExchangeMapping.readReceived(message, "Webhook " + name);
            body = WebhookPayload.toJson(skynet.channel(), skynet.payload(), skynet.extras(), skynet.time(), skynet.id());
        } else {
            body = template(exchange.getContext()).evaluate(exchange, String.class).getBytes(StandardCharsets.UTF_8);
        }
        exchange.setProperty(WebhookExchangeProperties.BODY, body);
    }

    /**
     * camel-http answers in the "out" message: take it off the exchange, so the request stays the
     * exchange's one message for the next attempt and for the dead letter.
     */
    @SuppressWarnings("deprecation") // Camel 4 has no other way to drop an out message
    private static Message takeResponse(Exchange exchange) {
        if (!exchange.hasOut()) {
            return null;
        }
        Message response = exchange.getOut();
        exchange.setOut(null);
        return response;
    }

    private Expression template(CamelContext context) {
        Expression expression = template;
        if (expression == null) {
            expression = context.resolveLanguage("simple").createExpression(bodyTemplate);
            expression.init(context);
            template = expression;
        }
        return expression;
    }

    private Producer producer(CamelContext context) throws Exception {
        Producer current = producer;
        if (current == null) {
            synchronized (this) {
                current = producer;
                if (current == null) {
                    current = createProducer(context);
                    producer = current;
                }
            }
        }
        return current;
    }

    private Producer createProducer(CamelContext context) throws Exception {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("Webhook " + name + ": url must start with http:// or https://, was '"
                    + url + "'");
        }
        // camel-http's timeouts default to 3 minutes; a webhook gets its own, short ones.
        String options = "throwExceptionOnFailure=false&connectTimeout=" + connectTimeout
                + "&connectionRequestTimeout=" + connectTimeout + "&responseTimeout=" + responseTimeout
                + "&soTimeout=" + responseTimeout;
        HttpEndpoint endpoint = context.getEndpoint(url + (url.contains("?") ? "&" : "?") + options, HttpEndpoint.class);
        // Apache HttpClient re-sends a POST by itself after a 503 or 429 (once, after 1 s or its
        // Retry-After, blocking this thread): a second delivery outside maxRetries, the backoff,
        // maxRetryAfter and the log. Every retry is the route's error handler's.
        endpoint.getClientBuilder().disableAutomaticRetries();
        Producer created = endpoint.createProducer();
        ServiceHelper.startService(created);
        return created;
    }

    /** Called when the route's beans are destroyed. */
    public void close() {
        ServiceHelper.stopAndShutdownService(producer);
        producer = null;
    }

    /** The dead-letter step took a message this sender gave up on. */
    void deadLettered() {
        deadLettered.increment();
    }

    /** Messages this webhook was given (each counted once, however many attempts it took). */
    public long getReceivedCount() {
        return received.sum();
    }

    public long getDeliveredCount() {
        return delivered.sum();
    }

    /** Messages given up on and handed to the dead letter. */
    public long getDeadLetteredCount() {
        return deadLettered.sum();
    }

    /** Attempts after the first (each retry of each message). */
    public long getRetriedCount() {
        return retried.sum();
    }

    /** When the receiver last answered 2xx, epoch ms; 0 before the first. */
    public long getLastDeliveredMillis() {
        return lastDeliveredMillis;
    }

    /** Whether the last attempt was delivered (true before the first). */
    public boolean isLastAttemptDelivered() {
        return lastAttemptDelivered;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The user's route id this webhook is part of (the Kamelet passes its parentRouteId). */
    public void setBridge(String bridge) {
        this.bridge = bridge == null ? "" : bridge.trim();
    }

    public long getFailedAttemptCount() {
        return failedAttempts.sum();
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setUrl(String url) {
        this.url = url == null ? null : url.trim();
    }

    public void setSecret(String secret) {
        this.secret = secret == null ? "" : secret.trim();
        this.signer = this.secret.isEmpty() ? null : new StandardWebhookSigner(this.secret);
    }

    public void setBodyTemplate(String bodyTemplate) {
        this.bodyTemplate = bodyTemplate;
        this.template = null;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setResponseTimeout(long responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    /** Only for the log line ("attempt 2 of 6"); {@link WebhookRetryWhile} decides. */
    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public void setMaxRetryAfter(long maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }
}
