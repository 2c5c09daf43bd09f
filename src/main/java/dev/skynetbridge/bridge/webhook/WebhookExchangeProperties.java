package dev.skynetbridge.bridge.webhook;

/**
 * Exchange properties through which the webhook sender tells the dead-letter step what happened.
 * Properties, not headers, so they never become HTTP headers.
 */
final class WebhookExchangeProperties {

    static final String BODY = "SkynetWebhookBody";
    static final String WEBHOOK_ID = "SkynetWebhookId";
    static final String NAME = "SkynetWebhookName";
    static final String URL = "SkynetWebhookUrl";
    static final String CHANNEL = "SkynetWebhookChannel";
    static final String ATTEMPTS = "SkynetWebhookAttempts";
    static final String STATUS = "SkynetWebhookStatus";
    static final String REASON = "SkynetWebhookReason";
    /** The {@link WebhookSender} that tried: the dead-letter step tells it the message was given up on. */
    static final String SENDER = "SkynetWebhookSender";

    private WebhookExchangeProperties() {
    }
}
