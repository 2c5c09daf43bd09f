package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.SkynetConstants;
import dev.skynetbridge.camel.SkynetConsumer;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaProducer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive step of the {@code skynet-kafka-archive} template: turns the Skynet message of the
 * exchange into an archive record ({@link ArchiveRecordFormat}) and writes it to Kafka, one
 * message at a time, in order.
 *
 * <p>While Kafka is unreachable the message at the head is retried (with backoff) until it is
 * written, so order is kept and nothing is skipped; the messages behind it wait in the Skynet
 * consumer's bounded queue ({@code bufferSize}), which drops and counts beyond its bound. Errors
 * that retrying cannot fix (a record larger than the broker accepts) drop that one message,
 * counted and logged. The sync send per message costs one broker round trip each (measure it in
 * benchmarks); it is what makes "retry the head, keep the rest waiting" exact.
 *
 * <p>A probe asks the brokers for the topic's partitions from start-up until they answer, so
 * the bridge's state is known (and logged) before the first message.
 */
public class KafkaArchiveProcessor extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaArchiveProcessor.class);

    private CamelContext camelContext;
    private String kafkaUri;
    private String topic;
    private String name;
    private ArchiveFormat format = ArchiveFormat.CBOR;
    private long retryInitialDelay = 200;
    private long retryMaxDelay = 5_000;

    private Producer producer;
    private KafkaBridgeStatus status;
    private ExecutorService prober;
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
                "Messages wait in the bounded buffer (bufferSize) and are retried in order; beyond it they are dropped"
                + " and counted. Check the brokers parameter, that Kafka runs, and that the topic exists or the"
                + " brokers create topics automatically.");
        status.setCamelContext(camelContext);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(status);
        }
        producer = endpoint.createProducer();
        ServiceHelper.startService(producer);
        running = true;
        prober = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "skynet-kafka-probe-" + topic);
        prober.submit(this::probeUntilReachable);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (prober != null) {
            camelContext.getExecutorServiceManager().shutdownNow(prober);
            prober = null;
        }
        ServiceHelper.stopAndShutdownService(producer);
        producer = null;
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null && status != null) {
            registry.unregister(status);
        }
    }

    /** Asks for the topic's partitions until the brokers answer (each try waits up to the producer's maxBlockMs). */
    private void probeUntilReachable() {
        long delay = retryInitialDelay;
        while (running && status.state() != KafkaBridgeStatus.State.UP) {
            try {
                if (producer instanceof KafkaProducer kafka && kafka.getKafkaProducer() != null) {
                    kafka.getKafkaProducer().partitionsFor(topic);
                    status.reachable();
                    return;
                }
                LOG.info("Kafka {}: no kafka-clients producer to probe ({}); the first send reports the state",
                        status.description(), producer.getClass().getName());
                return;
            } catch (RuntimeException e) {
                status.unreachable(e);
            }
            if (!pause(delay)) {
                return;
            }
            delay = Math.min(delay * 2, retryMaxDelay);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        bindBufferCounters(exchange);
        Message in = exchange.getMessage();
        SkynetMessage message = messageOf(in);
        ArchiveRecord record = ArchiveRecordFormat.encode(message, format);
        in.removeHeaders("Skynet*"); // only the record's own headers go to Kafka
        in.setBody(record.value());
        in.setHeader(KafkaConstants.KEY, record.key());
        in.setHeader(KafkaConstants.OVERRIDE_TIMESTAMP, record.timestampMillis());
        record.headers().forEach(in::setHeader);
        sendInOrder(exchange, record);
    }

    private void sendInOrder(Exchange exchange, ArchiveRecord record) {
        long delay = retryInitialDelay;
        while (true) {
            exchange.setException(null);
            try {
                producer.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failure = exchange.getException();
            if (failure == null) {
                status.reachable();
                status.delivered();
                return;
            }
            exchange.setException(null);
            if (!isRetriable(failure)) {
                status.dropped(1);
                LOG.error("Kafka {}: message {} on {} cannot be archived and is dropped ({} dropped in all): {}",
                        status.description(), record.headers().get(ArchiveRecordFormat.HEADER_ID), record.key(),
                        status.droppedCount(), failure.toString());
                return;
            }
            status.unreachable(failure);
            if (!stillRunning(exchange) || !pause(delay)) {
                status.dropped(1);
                LOG.warn("Kafka {}: stopping while the brokers are unreachable; message {} on {} is dropped ({} dropped"
                         + " in all, {} more waiting are dropped by the stopping consumer)", status.description(),
                        record.headers().get(ArchiveRecordFormat.HEADER_ID), record.key(), status.droppedCount(),
                        status.waitingCount());
                return;
            }
            delay = Math.min(delay * 2, retryMaxDelay);
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

    @SuppressWarnings("unchecked")
    private static SkynetMessage messageOf(Message in) {
        String channelText = in.getHeader(SkynetConstants.CHANNEL, String.class);
        if (channelText == null) {
            throw new IllegalArgumentException("The Kafka archive takes messages from a skynet: consumer; this exchange"
                    + " has no " + SkynetConstants.CHANNEL + " header");
        }
        Instant time = in.getHeader(SkynetConstants.TIME, Instant.class);
        Map<String, Object> extras = in.getHeader(SkynetConstants.EXTRAS) instanceof Map<?, ?> map
                ? new LinkedHashMap<>((Map<String, Object>) map) : null;
        return new SkynetMessage(Channel.parseCanonical(channelText), in.getBody(), extras,
                time == null ? Instant.now() : time, in.getHeader(SkynetConstants.MESSAGE_ID, String.class));
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
}
