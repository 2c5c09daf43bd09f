package dev.skynetbridge.camel;

/**
 * What one bridge's target side counts (the MQTT outbox, the Kafka archive's buffer, the webhook's attempts), read
 * when asked: cheap counters bumped per message, read by a metrics scrape or the console. At a quiet moment
 * {@code received = sent + failed + queued + dropped}.
 */
public interface BridgeCounters {

    /** mqtt, kafka or webhook. */
    String kind();

    /** Messages handed to the target. */
    long received();

    /** Messages the target took for good (broker acknowledged, Kafka acknowledged, HTTP 2xx). */
    long sent();

    /** Messages the target refused or gave up on; never sent again. */
    long failed();

    /** Messages waiting or in flight now. */
    long queued();

    /** Messages dropped to a full buffer, or still buffered when the bridge stopped. */
    long dropped();

    /** Sends tried again: after a lost connection (MQTT), a refusal (Kafka), a failed attempt (webhook). */
    long retried();

    /** Messages written to a dead letter (webhooks); 0 where there is none. */
    default long deadLettered() {
        return 0;
    }

    /** Whether the target is reachable now, as far as the bridge knows. */
    boolean connected();

    /** When the target last took a message, epoch milliseconds; 0 before the first. */
    long lastSuccessMillis();
}
