package dev.skynetbridge.bridge.webhook;

/** One webhook attempt failed; the message says why (status or I/O error) in words a user can act on. */
public class WebhookDeliveryException extends Exception {

    private final Integer status;
    private final DeliveryOutcome outcome;

    public WebhookDeliveryException(String message, Integer status, DeliveryOutcome outcome, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.outcome = outcome;
    }

    /** The HTTP status the receiver answered, or null when no answer came (connection error, timeout). */
    public Integer getStatus() {
        return status;
    }

    public DeliveryOutcome getOutcome() {
        return outcome;
    }
}
