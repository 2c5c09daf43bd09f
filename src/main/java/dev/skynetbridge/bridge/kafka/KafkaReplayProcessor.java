package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.SkynetExchangeMapping;

import dev.skynetbridge.camel.ChannelSyntax;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay step of the {@code skynet-kafka-replay-source} Kamelet: turns an archive record back into
 * the original Skynet message, so the following {@code skynet:} producer sends the original
 * payload and extra keys on the original channel ({@code SkynetOverrideChannel}). The server
 * gives the replayed message a new time and id.
 *
 * <p>Where the replay starts is {@link KafkaReplayStart}'s job: it positions each partition at
 * {@code startOffset} or {@code startTime}, so earlier records are not read. This step skips, as a
 * second guard, the records that still come before the start: a record at the start's millisecond
 * with an earlier Skynet time, and everything before the start when positioning failed and the
 * partition is read from its beginning. It also skips records of other channels than
 * {@code channel}. Records that are not archive records are skipped with one warning each, naming
 * topic, partition and offset.
 *
 * <p>Whether the route's brokers are reachable is a {@link KafkaBridgeStatus} (health check
 * {@code skynet-kafka-replay-<topic>}, one log line per change), read every {@code probeInterval}
 * from camel-kafka's own check of the route's consumer.
 */
public class KafkaReplayProcessor extends ServiceSupport implements Processor, CamelContextAware, RouteIdAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReplayProcessor.class);

    private Channel channel = Channel.WILDCARD;
    private Long startOffset;
    private Instant startTime;
    private final LongAdder read = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private CamelContext camelContext;
    private String routeId;
    private long probeInterval = 10_000;
    private String topic;
    private KafkaBridgeStatus status;
    private ExecutorService prober;
    private volatile boolean running;
    /** The user's route id (the Kamelet's parentRouteId); the bridge's name in metrics. */
    private String bridge = "";
    private volatile long lastReplayedMillis;
    private Runnable removeFromBridges = () -> { };

    @Override
    protected void doStart() {
        if (camelContext == null || topic == null) {
            throw new IllegalStateException("KafkaReplayProcessor needs camelContext and topic");
        }
        status = new KafkaBridgeStatus("replay-" + topic, "replay of topic " + topic,
                "The replay resumes by itself when Kafka is back. Check the brokers parameter and that Kafka runs.");
        status.setCamelContext(camelContext);
        // Counts since the route started, like the new status's delivered count: each start replays anew.
        read.reset();
        replayed.reset();
        skipped.reset();
        invalid.reset();
        status.counts(new KafkaBridgeStatus.Counts() {
            @Override
            public long delivered() {
                return replayed.sum();
            }
        });
        status.counter("read", read::sum);
        status.counter("skipped", skipped::sum);
        status.counter("invalid", invalid::sum);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(status);
        }
        running = true;
        prober = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "skynet-kafka-probe-" + topic);
        prober.submit(this::probe);
        removeFromBridges = Bridges.of(camelContext).add(bridge.isBlank() ? "replay-" + topic : bridge,
                new ReplayBridgeCounters(this));
    }

    @Override
    protected void doStop() {
        running = false;
        removeFromBridges.run();
        if (prober != null) {
            camelContext.getExecutorServiceManager().shutdownNow(prober);
            prober = null;
        }
        HealthCheckRegistry registry = camelContext == null ? null : HealthCheckRegistry.get(camelContext);
        if (registry != null && status != null) {
            registry.unregister(status);
        }
    }

    /**
     * Follows camel-kafka's readiness check of this route's consumer ({@code consumer:<routeId>}),
     * so the state needs no connection of its own, and turns its changes into log lines.
     */
    private void probe() {
        while (running) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
            Optional<HealthCheck> consumerCheck = registry == null || routeId == null ? Optional.empty()
                    : registry.getCheck("consumer:" + routeId);
            if (consumerCheck.isPresent()) {
                HealthCheck.Result result = consumerCheck.get().call();
                if (result.getState() == HealthCheck.State.UP) {
                    status.reachable();
                } else if (result.getState() == HealthCheck.State.DOWN) {
                    status.unreachable(result.getError().orElseGet(() -> new IllegalStateException(
                            result.getMessage().orElse("the Kafka consumer is not ready"))));
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(status.state() == KafkaBridgeStatus.State.UP ? probeInterval
                        : Math.min(probeInterval, 1_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void process(Exchange exchange) {
        read.increment();
        Message in = exchange.getMessage();
        Long offset = in.getHeader(KafkaConstants.OFFSET, Long.class);
        if (offset != null && startOffset != null && offset < startOffset) {
            skip(exchange);
            return;
        }
        SkynetMessage message;
        try {
            message = ArchiveRecordCodec.decode(in.getBody(byte[].class), textHeaders(in));
        } catch (ProtocolException e) {
            invalid.increment();
            LOG.warn("Kafka replay: record at topic {} partition {} offset {} is not a Skynet archive record ({}); skipped",
                    in.getHeader(KafkaConstants.TOPIC), in.getHeader(KafkaConstants.PARTITION), offset, e.getMessage());
            exchange.setRouteStop(true);
            return;
        }
        if ((startTime != null && (message.time() == null || message.time().isBefore(startTime)))
                || (!channel.isWildcard() && !channel.equals(message.channel()))) {
            skip(exchange);
            return;
        }
        replayed.increment();
        lastReplayedMillis = System.currentTimeMillis();
        if (status != null) {
            status.reachable(); // a record arrived: the brokers answer
        }
        SkynetExchangeMapping.writeToSend(message, in);
    }

    private void skip(Exchange exchange) {
        skipped.increment();
        exchange.setRouteStop(true);
    }

    /** The skynet-* record headers as text (camel-kafka hands header values over as bytes). */
    private static Map<String, String> textHeaders(Message in) {
        Map<String, String> headers = new HashMap<>();
        in.getHeaders().forEach((key, value) -> {
            if (key.startsWith("skynet-")) {
                headers.put(key, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                        : String.valueOf(value));
            }
        });
        return headers;
    }

    /** Only this channel ({@code 42}, {@code s:foo}, ...); {@code *} (default) replays all. */
    public void setChannel(String channel) {
        this.channel = channel == null || channel.isBlank() ? Channel.WILDCARD : ChannelSyntax.parse(channel.trim());
    }

    /** Skip records at lower offsets (in every partition); empty for none. */
    public void setStartOffset(String startOffset) {
        this.startOffset = KafkaReplayStart.parseStartOffset(startOffset);
    }

    /** Skip records whose Skynet time is earlier: RFC 3339 ({@code 2026-11-20T18:00:00Z}); empty for none. */
    public void setStartTime(String startTime) {
        this.startTime = KafkaReplayStart.parseStartTime(startTime);
    }

    /** The topic the route reads (names the health check). */
    public void setTopic(String topic) {
        this.topic = topic;
    }

    /** How often the consumer's readiness is read while reachable, in milliseconds (every second while not). */
    public void setProbeInterval(long probeInterval) {
        this.probeInterval = Math.max(100, probeInterval);
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

    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    /** Records that reached this step: replayed, skipped and invalid ones. */
    public long getReadCount() {
        return read.sum();
    }

    public long getReplayedCount() {
        return replayed.sum();
    }

    public long getSkippedCount() {
        return skipped.sum();
    }

    public long getInvalidCount() {
        return invalid.sum();
    }

    /** When a record was last handed to Skynet, epoch ms; 0 before the first. */
    long getLastReplayedMillis() {
        return lastReplayedMillis;
    }

    /** The user's route id this replay is part of (the Kamelet passes its parentRouteId). */
    public void setBridge(String bridge) {
        this.bridge = bridge == null ? "" : bridge.trim();
    }
}
