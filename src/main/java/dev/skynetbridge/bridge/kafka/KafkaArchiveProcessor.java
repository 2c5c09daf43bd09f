package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.SkynetExchangeMapping;

import dev.skynetbridge.camel.SkynetConsumer;
import dev.skynetbridge.protocol.SkynetMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaProducer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive step of the {@code skynet-kafka-archive} template: turns the Skynet message of the
 * exchange into an archive record ({@link ArchiveRecordFormat}) and hands it to Kafka's client
 * without waiting for the broker, so kafka-clients can batch ({@code linger.ms},
 * {@code batch.size}) and pipeline.
 *
 * <p>At most {@code sendWindow} records are sent and not yet acknowledged; when the window is full
 * the route's thread waits, so further messages wait in the Skynet consumer's bounded queue
 * ({@code bufferSize}), which drops and counts beyond its bound. The idempotent producer keeps each
 * partition's order across its own retries. With the template's default {@code deliveryTimeoutMs}
 * (no limit) it retries a record until Kafka takes it, so an outage only fills the window and then
 * the buffer. A record kafka-clients gives up on (a finite {@code deliveryTimeoutMs} ran out, the
 * bridge stopped with Kafka still down, a record the broker rejects) is counted as dropped and
 * logged: re-sending it could put it behind later records. A record refused before it was queued
 * (no topic metadata within {@code maxBlockMs}) is retried at once, before any later record.
 *
 * <p>State: a probe asks the brokers for the topic's partitions from start-up until they answer;
 * afterwards the bridge is DOWN when the oldest unacknowledged record has waited longer than
 * {@code stallMillis} or a send fails, and UP again with the next acknowledgement.
 */
public class KafkaArchiveProcessor extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaArchiveProcessor.class);
    private static final long STALL_CHECK_MILLIS = 500;

    private CamelContext camelContext;
    private String kafkaUri;
    private String topic;
    private String name;
    private ArchiveFormat format = ArchiveFormat.CBOR;
    private long retryInitialDelay = 200;
    private long retryMaxDelay = 5_000;
    private int sendWindow = 5_000;
    private long stallMillis = 5_000;
    private long closeTimeoutMillis = 3_000;

    private Producer producer;
    private org.apache.kafka.clients.producer.Producer<Object, Object> kafka;
    private Semaphore window;
    /** Sequence number -> System.nanoTime() at send, of every record sent and not yet acknowledged. */
    private final ConcurrentSkipListMap<Long, Long> unacknowledged = new ConcurrentSkipListMap<>();
    private final AtomicLong droppedAfterSend = new AtomicLong();
    private long nextSequence; // only the route's thread sends
    private KafkaBridgeStatus status;
    private ScheduledExecutorService watcher;
    private volatile boolean countersBound;
    private volatile boolean running;

    @Override
    protected void doStart() throws Exception {
        if (camelContext == null || kafkaUri == null || topic == null) {
            throw new IllegalStateException("KafkaArchiveProcessor needs camelContext, kafkaUri and topic");
        }
        String bridgeName = name == null || name.isBlank() ? "archive-" + topic : name;
        Endpoint endpoint = camelContext.getEndpoint(kafkaUri);
        status = new KafkaBridgeStatus(bridgeName, "archive to topic " + topic + " (" + brokersOf(kafkaUri) + ")",
                "Messages wait (sendWindow sent, then bufferSize queued) and are written in order when Kafka is back;"
                + " beyond that the buffer drops them, counted. Check the brokers parameter, that Kafka runs, and that"
                + " the topic exists or the brokers create topics automatically.");
        status.setCamelContext(camelContext);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(status);
        }
        producer = endpoint.createProducer();
        ServiceHelper.startService(producer);
        if (!(producer instanceof KafkaProducer camelKafka) || camelKafka.getKafkaProducer() == null) {
            throw new IllegalStateException("The Kafka archive needs a camel-kafka endpoint (kafka:topic?...), got "
                    + kafkaUri);
        }
        kafka = camelKafka.getKafkaProducer();
        window = new Semaphore(sendWindow);
        status.unacknowledgedCounter(unacknowledged::size);
        running = true;
        watcher = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "skynet-kafka-watch-" + topic);
        watcher.submit(this::probeUntilReachable);
        watcher.scheduleWithFixedDelay(this::checkStalled, STALL_CHECK_MILLIS, STALL_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (watcher != null) {
            camelContext.getExecutorServiceManager().shutdownNow(watcher);
            watcher = null;
        }
        if (kafka != null) {
            int pending = unacknowledged.size();
            if (pending > 0) {
                LOG.info("Kafka {}: stopping with {} messages not yet acknowledged; waiting up to {} ms for Kafka, then"
                         + " the rest are dropped (counted)", status.description(), pending, closeTimeoutMillis);
            }
            long droppedBefore = droppedAfterSend.get();
            closeWithin(Duration.ofMillis(closeTimeoutMillis));
            int neverCompleted = unacknowledged.size();
            if (neverCompleted > 0) { // kafka-clients completes every record on close; count any it did not
                droppedAfterSend.addAndGet(neverCompleted);
                status.dropped(neverCompleted);
                unacknowledged.clear();
            }
            long droppedAtStop = droppedAfterSend.get() - droppedBefore;
            if (droppedAtStop > 0) {
                LOG.warn("Kafka {}: stopped before Kafka acknowledged {} messages; dropped ({} dropped in all)",
                        status.description(), droppedAtStop, status.droppedCount());
            }
            ((KafkaProducer) producer).setKafkaProducer(null);
            kafka = null;
        }
        ServiceHelper.stopAndShutdownService(producer);
        producer = null;
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null && status != null) {
            registry.unregister(status);
        }
    }

    /**
     * camel-kafka closes without a time limit, which never returns while Kafka is down and records
     * wait; this gives Kafka {@code closeTimeoutMillis} (well inside Camel's shutdown timeout) and
     * then fails what is left, so its callbacks count it.
     */
    private void closeWithin(Duration timeout) {
        try {
            kafka.close(timeout);
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            boolean interrupted = Thread.interrupted(); // a forced close must still join the I/O thread
            kafka.close(Duration.ZERO);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks for the topic's partitions until the brokers answer (each try waits up to the producer's maxBlockMs). */
    private void probeUntilReachable() {
        long delay = retryInitialDelay;
        while (running && status.state() != KafkaBridgeStatus.State.UP) {
            try {
                kafka.partitionsFor(topic);
                status.reachable();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                status.unreachable(e);
            }
            if (!pause(delay)) {
                return;
            }
            delay = Math.min(delay * 2, retryMaxDelay);
        }
    }

    /** Without results from Kafka for a while the state would stay UP; the age of the oldest open record tells. */
    private void checkStalled() {
        Map.Entry<Long, Long> oldest = unacknowledged.firstEntry();
        if (oldest == null) {
            return;
        }
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.getValue());
        if (waitedMillis > stallMillis) {
            status.unreachable(new org.apache.kafka.common.errors.TimeoutException("no acknowledgement for "
                    + waitedMillis / 1000 + " s; " + unacknowledged.size() + " messages sent and not acknowledged"));
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        bindBufferCounters(exchange);
        SkynetMessage message = messageOf(exchange.getMessage());
        ArchiveRecord record = ArchiveRecordFormat.encode(message, format);
        if (!takeWindowSlot(exchange)) {
            status.dropped(1);
            LOG.warn("Kafka {}: stopping while {} sent messages wait for Kafka; message {} on {} is dropped ({} dropped"
                     + " in all, {} more waiting are dropped by the stopping consumer)", status.description(),
                    unacknowledged.size(), record.headers().get(ArchiveRecordFormat.HEADER_ID), record.key(),
                    status.droppedCount(), status.waitingCount());
            return;
        }
        sendInOrder(exchange, record, producerRecord(record));
    }

    /** Waits while {@code sendWindow} records are unacknowledged; false when the route stops meanwhile. */
    private boolean takeWindowSlot(Exchange exchange) {
        if (window.tryAcquire()) {
            return true;
        }
        try {
            while (!window.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                if (!stillRunning(exchange)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ProducerRecord<Object, Object> producerRecord(ArchiveRecord record) {
        List<Header> headers = new ArrayList<>(record.headers().size());
        record.headers().forEach((key, text) ->
                headers.add(new RecordHeader(key, ArchiveRecordFormat.headerBytes(text))));
        return new ProducerRecord<>(topic, null, record.timestampMillis(), record.key(), record.value(), headers);
    }

    /**
     * Hands the record to kafka-clients. Refused before it was queued (no metadata while Kafka is
     * down) it is retried here, with backoff, before any later record: that keeps the order.
     */
    private void sendInOrder(Exchange exchange, ArchiveRecord record, ProducerRecord<Object, Object> out) {
        long delay = retryInitialDelay;
        while (true) {
            Acknowledgement ack = new Acknowledgement(nextSequence++, record);
            unacknowledged.put(ack.sequence, System.nanoTime());
            try {
                kafka.send(out, ack);
            } catch (RuntimeException e) { // not through the callback: producer closed, interrupted
                ack.refused = e;
            }
            if (ack.refused == null) {
                return; // queued: its callback accounts for it
            }
            unacknowledged.remove(ack.sequence);
            Exception failure = ack.refused;
            if (!isRetriable(failure)) {
                window.release();
                status.dropped(1);
                LOG.error("Kafka {}: message {} on {} cannot be archived and is dropped ({} dropped in all): {}",
                        status.description(), record.headers().get(ArchiveRecordFormat.HEADER_ID), record.key(),
                        status.droppedCount(), failure.toString());
                return;
            }
            status.unreachable(failure);
            if (!stillRunning(exchange) || !pause(delay)) {
                window.release();
                status.dropped(1);
                LOG.warn("Kafka {}: stopping while the brokers are unreachable; message {} on {} is dropped ({} dropped"
                         + " in all, {} more waiting are dropped by the stopping bridge)", status.description(),
                        record.headers().get(ArchiveRecordFormat.HEADER_ID), record.key(), status.droppedCount(),
                        status.waitingCount());
                return;
            }
            delay = Math.min(delay * 2, retryMaxDelay);
        }
    }

    /** kafka-clients' result for one record: on its I/O thread, or at once on the route's thread if it refused it. */
    private final class Acknowledgement implements Callback {
        final long sequence;
        final ArchiveRecord record;
        final Thread sender = Thread.currentThread();
        Exception refused;

        Acknowledgement(long sequence, ArchiveRecord record) {
            this.sequence = sequence;
            this.record = record;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            if (Thread.currentThread() == sender) {
                refused = failure; // inside send(): sendInOrder decides
                return;
            }
            unacknowledged.remove(sequence);
            window.release();
            if (failure == null) {
                status.acknowledged();
            } else {
                droppedAfterSend(record, failure);
            }
        }
    }

    /** Kafka gave up on a queued record (its retries ran out, or the bridge stopped): counted, logged, not re-sent. */
    private void droppedAfterSend(ArchiveRecord record, Exception failure) {
        status.dropped(1);
        if (isRetriable(failure)) {
            status.unreachable(failure);
        }
        long count = droppedAfterSend.incrementAndGet();
        if (running && (count == 1 || count % 1000 == 0)) { // when stopping, doStop logs one line for all
            LOG.warn("Kafka {}: message {} on {} was not acknowledged and is dropped ({} such, {} dropped in all): {}."
                     + " Raise deliveryTimeoutMs (default: no limit) to hold messages through longer outages.",
                    status.description(), record.headers().get(ArchiveRecordFormat.HEADER_ID), record.key(), count,
                    status.droppedCount(), failure.toString());
        }
    }

    /** Kafka's retriable errors (timeouts, unreachable or restarting brokers) clear up when Kafka is back. */
    static boolean isRetriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.InterruptException) {
                return true;
            }
        }
        return false;
    }

    private boolean stillRunning(Exchange exchange) {
        if (!running || Thread.currentThread().isInterrupted()) {
            return false;
        }
        String routeId = exchange.getFromRouteId();
        ServiceStatus routeStatus = routeId == null ? null : camelContext.getRouteController().getRouteStatus(routeId);
        return routeStatus == null || routeStatus.isStarted();
    }

    private static boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The bounded buffer is the route's Skynet consumer queue: its depth and drops are this bridge's. */
    private void bindBufferCounters(Exchange exchange) {
        if (countersBound) {
            return;
        }
        countersBound = true;
        Route route = exchange.getFromRouteId() == null ? null : camelContext.getRoute(exchange.getFromRouteId());
        Consumer consumer = route == null ? null : route.getConsumer();
        if (consumer instanceof SkynetConsumer skynet) {
            status.bufferCounters(skynet::getQueueDepth, skynet::getDroppedCount);
        }
    }

    private static SkynetMessage messageOf(Message in) {
        SkynetMessage message = SkynetExchangeMapping.readReceived(in, "The Kafka archive");
        return message.time() != null ? message : message.stamped(Instant.now(), message.id());
    }

    private static String brokersOf(String uri) {
        int at = uri.indexOf("brokers=");
        if (at < 0) {
            return "brokers from the kafka component";
        }
        int end = uri.indexOf('&', at);
        return uri.substring(at + "brokers=".length(), end < 0 ? uri.length() : end);
    }

    public KafkaBridgeStatus getBridgeStatus() {
        return status;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setKafkaUri(String kafkaUri) {
        this.kafkaUri = kafkaUri;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** {@code cbor} (default) or {@code json}; anything else fails the route with a message saying so. */
    public void setFormat(String format) {
        this.format = ArchiveFormat.parse(format);
    }

    public void setRetryInitialDelay(long retryInitialDelay) {
        this.retryInitialDelay = Math.max(1, retryInitialDelay);
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = Math.max(1, retryMaxDelay);
    }

    /** Records sent to Kafka and not yet acknowledged, at most; a full window makes the route wait. */
    public void setSendWindow(int sendWindow) {
        if (sendWindow < 1) {
            throw new IllegalArgumentException("Kafka archive to " + topic + ": sendWindow must be at least 1, got "
                    + sendWindow);
        }
        this.sendWindow = sendWindow;
    }

    /** How long the oldest unacknowledged record may wait before the bridge reports DOWN. */
    public void setStallMillis(long stallMillis) {
        this.stallMillis = Math.max(1, stallMillis);
    }

    /** How long stopping waits for Kafka to acknowledge what was sent; the rest is dropped, counted. */
    public void setCloseTimeoutMillis(long closeTimeoutMillis) {
        this.closeTimeoutMillis = Math.max(0, closeTimeoutMillis);
    }
}
