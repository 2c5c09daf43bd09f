package dev.skynetbridge.bridge.webhook;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The webhook route's retry-while test for Camel's error handler: try again only after a
 * retryable failure (408, 429, 5xx, I/O error) and while retries remain. Anything else (a 400,
 * a broken bodyTemplate) goes to the dead letter at once. A class of its own because Camel
 * calls a retry-while bean by method, and this one must have no other method to pick.
 */
public class WebhookRetryWhile implements Predicate {

    private int maxRetries = 5;

    @Override
    public boolean matches(Exchange exchange) {
        // While the error handler decides, the failure sits in EXCEPTION_CAUGHT, not getException().
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int attempts = exchange.getProperty(WebhookExchangeProperties.ATTEMPTS, 0, Integer.class);
        return failure instanceof WebhookDeliveryException delivery && delivery.getOutcome() == DeliveryOutcome.RETRY
               && attempts <= maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
    }
}
