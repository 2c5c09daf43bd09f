package dev.skynetbridge.bridge.webhook;

import dev.skynetbridge.protocol.json.JsonValues;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a message the webhook gave up on into one JSON line for the dead-letter endpoint: when,
 * which webhook, why (the last status or error), how many attempts, and the body that was sent
 * (as JSON when it is JSON). Runs as the dead-letter channel's "prepare failure" step; the
 * default endpoint appends the line to {@code data/dead-letter/webhook-<name>.jsonl}.
 */
public class WebhookDeadLetter implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeadLetter.class);

    private String name;
    private final LongAdder deadLettered = new LongAdder();

    @Override
    public void process(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = exchange.getProperty(WebhookExchangeProperties.REASON, String.class);
        if (reason == null) {
            reason = caught == null ? "unknown" : caught.toString(); // failed before any attempt, e.g. bodyTemplate
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("webhook", name);
        line.put("url", exchange.getProperty(WebhookExchangeProperties.URL, String.class));
        line.put("reason", reason);
        line.put("status", exchange.getProperty(WebhookExchangeProperties.STATUS, Integer.class));
        line.put("attempts", exchange.getProperty(WebhookExchangeProperties.ATTEMPTS, 0, Integer.class));
        line.put("channel", exchange.getProperty(WebhookExchangeProperties.CHANNEL, String.class));
        line.put("webhookId", exchange.getProperty(WebhookExchangeProperties.WEBHOOK_ID, String.class));
        line.put("body", bodyValue(exchange.getProperty(WebhookExchangeProperties.BODY, byte[].class)));

        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.FILE_NAME, "webhook-" + name + ".jsonl");
        // One line per message (JSON Lines); the newline is harmless for non-file endpoints.
        message.setBody(JsonValues.toJson(line) + "\n");
        deadLettered.increment();
        if (exchange.getProperty(WebhookExchangeProperties.SENDER) instanceof WebhookSender sender) {
            sender.deadLettered();
        }
        LOG.warn("Webhook {}: gave up on message {} after {} attempt(s): {}. Written to the dead letter"
                 + " (deadLetterUri; {} so far)", name, line.get("webhookId"), line.get("attempts"), reason,
                deadLettered.sum());
    }

    private static Object bodyValue(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            return JsonValues.parse(body);
        } catch (IOException | RuntimeException notJson) {
            return body; // JsonValues writes UTF-8 as a string, other bytes as {"$bytes": ...}
        }
    }

    public long getDeadLetteredCount() {
        return deadLettered.sum();
    }

    public void setName(String name) {
        this.name = name;
    }
}
