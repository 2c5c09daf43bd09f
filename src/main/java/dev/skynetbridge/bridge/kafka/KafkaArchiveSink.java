package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.SkynetExchangeMapping;
import dev.skynetbridge.protocol.SkynetMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of the {@code skynet-kafka-archive-sink} Kamelet: turns the exchange's Skynet message
 * into an archive record ({@link ArchiveRecordCodec}) and queues it in the archive's
 * {@link ArchiveOutbox}, which a {@link KafkaArchiveTransport} drains in order. The route never
 * waits for Kafka. Health and log lines: {@link KafkaBridgeStatus} (check
 * {@code skynet-kafka-archive-<topic>}), fed by {@link ArchiveReachability}.
 *
 * <p>Counters ({@code received = sent + failed + queued + dropped}): {@link #getReceivedCount},
 * {@link #getSentCount}, {@link #getFailedCount}, {@link #getQueuedCount}, {@link #getDroppedCount}.
 */
public class KafkaArchiveSink extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaArchiveSink.class);
    private static final long WARN_INTERVAL_MILLIS = 10_000;

    private CamelContext camelContext;
    private String topic;
    private ArchiveValueFormat format = ArchiveValueFormat.CBOR;
    private final Properties client = new Properties();
    private int sendWindow = 5_000;
    private int bufferSize = 10_000;
    private ArchiveOutbox.FullPolicy bufferFullPolicy = ArchiveOutbox.FullPolicy.DROP_OLDEST;
    private long retryInitialDelay = 200;
    private long retryMaxDelay = 5_000;
    private long stallMillis = 5_000;
    private long closeTimeoutMillis = 3_000;

    private KafkaArchiveTransport transport;
    private ArchiveOutbox outbox;
    private KafkaBridgeStatus status;
    private ArchiveReachability reachability;
    private ScheduledExecutorService watcher;
    private final RateLimitedCount drops = new RateLimitedCount(WARN_INTERVAL_MILLIS);
    private final RateLimitedCount failures = new RateLimitedCount(WARN_INTERVAL_MILLIS);
    private volatile boolean running;
    /** The user's route id (the Kamelet's parentRouteId); the bridge's name in metrics. */
    private String bridge = "";
    private final java.util.concurrent.atomic.LongAdder retried = new java.util.concurrent.atomic.LongAdder();
    private volatile long lastAcknowledgedMillis;
    private Runnable removeFromBridges = () -> { };

    @Override
    protected void doStart() {
        if (camelContext == null || topic == null || topic.isBlank()) {
            throw new IllegalStateException("The Kafka archive needs a topic");
        }
        if (client.getProperty("bootstrap.servers", "").isBlank()) {
            throw new IllegalArgumentException("Kafka archive to topic " + topic + ": brokers is empty; give host:port");
        }
        status = new KafkaBridgeStatus("archive-" + topic, "archive to topic " + topic + " ("
                + client.getProperty("bootstrap.servers") + ")",
                "Messages wait (sendWindow sent, then bufferSize buffered) and are written in order when Kafka is back;"
                + " beyond that the buffer drops them, counted. Check the brokers parameter, that Kafka runs, and that"
                + " the topic exists or the brokers create topics automatically.");
        status.setCamelContext(camelContext);
        transport = KafkaArchiveTransport.create(topic, client);
        outbox = new ArchiveOutbox(bufferSize, bufferFullPolicy, sendWindow, retryInitialDelay, retryMaxDelay, transport,
                new StatusEvents());
        status.counts(new OutboxCounts(outbox));
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(status);
        }
        running = true;
        outbox.start(runnable -> camelContext.getExecutorServiceManager().newThread("skynet-kafka-send-" + topic,
                runnable));
        watcher = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "skynet-kafka-watch-" + topic);
        reachability = new ArchiveReachability(status, transport::probe, outbox::oldestUnacknowledgedMillis,
                outbox::unacknowledgedCount, stallMillis, retryInitialDelay, retryMaxDelay);
        reachability.start(watcher);
        removeFromBridges = Bridges.of(camelContext).add(bridge.isBlank() ? "archive-" + topic : bridge,
                new ArchiveBridgeCounters(this));
    }

    @Override
    protected void doStop() {
        running = false;
        removeFromBridges.run();
        if (reachability != null) {
            reachability.stop();
        }
        if (watcher != null) {
            camelContext.getExecutorServiceManager().shutdownNow(watcher);
            watcher = null;
        }
        if (outbox == null) {
            return;
        }
        long leftInBuffer = outbox.stop();
        long unacknowledged = outbox.unacknowledgedCount();
        if (unacknowledged > 0) {
            LOG.info("Kafka {}: stopping with {} messages not yet acknowledged; waiting up to {} ms for Kafka, then the"
                     + " rest fail (counted)", status.description(), unacknowledged, closeTimeoutMillis);
        }
        long failedBefore = outbox.failedCount();
        transport.close(Duration.ofMillis(closeTimeoutMillis));
        outbox.failUnacknowledged(); // kafka-clients completes every record on close; count any it did not
        long failedAtStop = outbox.failedCount() - failedBefore;
        failures.drain();
        if (leftInBuffer > 0 || failedAtStop > 0) {
            LOG.warn("Kafka {}: stopped before Kafka took every message: {} never acknowledged (failed), {} still buffered"
                     + " (dropped); {} received, {} sent, {} failed, {} dropped in all", status.description(),
                    failedAtStop, leftInBuffer, outbox.receivedCount(), outbox.sentCount(), outbox.failedCount(),
                    outbox.droppedCount());
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.unregister(status);
        }
        transport = null;
        outbox = null;
    }

    @Override
    public void process(Exchange exchange) {
        SkynetMessage message = SkynetExchangeMapping.readReceived(exchange.getMessage(), "The Kafka archive");
        if (message.time() == null) {
            message = message.stamped(Instant.now(), message.id());
        }
        outbox.offer(ArchiveRecordCodec.encode(message, format));
    }

    /** The outbox's events as state changes and rate-limited log lines. */
    private final class StatusEvents implements ArchiveOutbox.Events {
        @Override
        public void acknowledged() {
            lastAcknowledgedMillis = System.currentTimeMillis();
            status.acknowledged();
            reportDrops(drops.due());
        }

        @Override
        public void refused(ArchiveRecord record, Throwable cause, long retryInMillis) {
            retried.increment();
            status.unreachable(cause);
        }

        @Override
        public void failed(ArchiveRecord record, Throwable cause) {
            if (KafkaArchiveTransport.isRetriable(cause)) {
                status.unreachable(cause);
            }
            long count = failures.add();
            if (running && count > 0) { // when stopping, doStop logs one line for all
                LOG.warn("Kafka {}: message {} on {} was not acknowledged and is lost ({} since the last report, {} failed in"
                         + " all): {}. Raise deliveryTimeoutMs (default: no limit) to hold messages through longer"
                         + " outages.", status.description(), record.headers().get(ArchiveRecordCodec.HEADER_ID),
                        record.key(), count, outbox == null ? count : outbox.failedCount(), cause.toString());
            }
        }

        @Override
        public void dropped(ArchiveRecord record, long total) {
            reportDrops(drops.add());
        }

        private void reportDrops(long count) {
            if (count > 0) {
                LOG.warn("Kafka {}: {} messages dropped since the last report ({} in all): the buffer ({} messages, {})"
                         + " was full while Kafka was slow or down. Raise bufferSize (or sendWindow) to hold more.",
                        status.description(), count, outbox == null ? count : outbox.droppedCount(), bufferSize,
                        bufferFullPolicy);
            }
        }
    }

    private record OutboxCounts(ArchiveOutbox outbox) implements KafkaBridgeStatus.Counts {
        @Override
        public long received() {
            return outbox.receivedCount();
        }

        @Override
        public long delivered() {
            return outbox.sentCount();
        }

        @Override
        public long failed() {
            return outbox.failedCount();
        }

        @Override
        public long dropped() {
            return outbox.droppedCount();
        }

        @Override
        public long waiting() {
            return outbox.queuedCount();
        }

        @Override
        public long unacknowledged() {
            return outbox.unacknowledgedCount();
        }
    }

    /** Records Kafka refused before taking them (no metadata while it is down) and that were tried again. */
    long getRetriedCount() {
        return retried.sum();
    }

    /** When Kafka last acknowledged a record, epoch ms; 0 before the first. */
    long getLastAcknowledgedMillis() {
        return lastAcknowledgedMillis;
    }

    /** The user's route id this archive is part of (the Kamelet passes its parentRouteId). */
    public void setBridge(String bridge) {
        this.bridge = bridge == null ? "" : bridge.trim();
    }

    public KafkaBridgeStatus getBridgeStatus() {
        return status;
    }

    /** Messages this archive was given. */
    public long getReceivedCount() {
        return outbox == null ? 0 : outbox.receivedCount();
    }

    /** Messages Kafka acknowledged. */
    public long getSentCount() {
        return outbox == null ? 0 : outbox.sentCount();
    }

    /** Messages Kafka gave up on or refused. */
    public long getFailedCount() {
        return outbox == null ? 0 : outbox.failedCount();
    }

    /** Messages buffered or sent and not yet acknowledged. */
    public long getQueuedCount() {
        return outbox == null ? 0 : outbox.queuedCount();
    }

    /** Messages dropped because the buffer was full (or left in it at a stop). */
    public long getDroppedCount() {
        return outbox == null ? 0 : outbox.droppedCount();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    /** {@code cbor} (default) or {@code json}; anything else fails the route with a message saying so. */
    public void setFormat(String format) {
        this.format = ArchiveValueFormat.parse(format);
    }

    /** Kafka bootstrap servers, host:port[,host:port]. */
    public void setBrokers(String brokers) {
        client.setProperty("bootstrap.servers", brokers == null ? "" : brokers.trim());
    }

    public void setCompression(String compression) {
        clientProperty("compression.type", compression == null ? null : compression.toLowerCase(Locale.ROOT));
    }

    public void setLingerMs(long lingerMs) {
        client.setProperty("linger.ms", Long.toString(lingerMs));
    }

    public void setBatchSize(int batchSize) {
        client.setProperty("batch.size", Integer.toString(batchSize));
    }

    public void setDeliveryTimeoutMs(long deliveryTimeoutMs) {
        client.setProperty("delivery.timeout.ms", Long.toString(Math.min(Integer.MAX_VALUE, deliveryTimeoutMs)));
    }

    public void setSecurityProtocol(String securityProtocol) {
        clientProperty("security.protocol", securityProtocol);
    }

    public void setSaslMechanism(String saslMechanism) {
        clientProperty("sasl.mechanism", saslMechanism);
    }

    public void setSaslJaasConfig(String saslJaasConfig) {
        clientProperty("sasl.jaas.config", saslJaasConfig);
    }

    public void setSslTruststoreLocation(String location) {
        clientProperty("ssl.truststore.location", location);
    }

    public void setSslTruststorePassword(String password) {
        clientProperty("ssl.truststore.password", password);
    }

    /** An empty optional Kamelet property leaves the client's default. */
    private void clientProperty(String key, String value) {
        if (value != null && !value.isBlank()) {
            client.setProperty(key, value.trim());
        }
    }

    /** Records sent to Kafka and not yet acknowledged, at most. */
    public void setSendWindow(int sendWindow) {
        this.sendWindow = atLeastOne("sendWindow", sendWindow);
    }

    /** Records waiting behind the send window; beyond it {@code bufferFullPolicy} drops (counted, WARNed). */
    public void setBufferSize(int bufferSize) {
        this.bufferSize = atLeastOne("bufferSize", bufferSize);
    }

    public void setBufferFullPolicy(String policy) {
        try {
            this.bufferFullPolicy = ArchiveOutbox.FullPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Kafka archive to " + topic + ": bufferFullPolicy is '" + policy
                    + "'; use DROP_OLDEST or DROP_NEWEST");
        }
    }

    private int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Kafka archive to " + topic + ": " + name + " must be at least 1, got "
                    + value);
        }
        return value;
    }

    public void setRetryInitialDelay(long retryInitialDelay) {
        this.retryInitialDelay = Math.max(1, retryInitialDelay);
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = Math.max(1, retryMaxDelay);
    }

    /** How long the oldest unacknowledged record may wait before the archive reports DOWN. */
    public void setStallMillis(long stallMillis) {
        this.stallMillis = Math.max(1, stallMillis);
    }

    /** How long stopping waits for Kafka to acknowledge what was sent; the rest fails, counted. */
    public void setCloseTimeoutMillis(long closeTimeoutMillis) {
        this.closeTimeoutMillis = Math.max(0, closeTimeoutMillis);
    }
}
