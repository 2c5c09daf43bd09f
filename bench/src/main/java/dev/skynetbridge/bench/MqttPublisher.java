package dev.skynetbridge.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.skynetbridge.mqtt.MqttBrokerAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MQTT 5 publisher (HiveMQ MQTT client, as the bridge uses) on the bridged channel's topic at {@code --qos}:
 * the JSON body {@code {"t":<send nanoTime>,"seq":<n>}}, which the default bridge (inboundFormat json) turns into
 * the Skynet payload map every listener reads. Paced on a 1 ms timer of its own thread at the fixed rate, within
 * the window (messages not yet at every listener) and at most {@link #MAX_IN_FLIGHT} publishes the broker has not
 * confirmed (the client blocks its caller past 64).
 */
final class MqttPublisher implements LoadPublishers {

    static final int MAX_IN_FLIGHT = 48;
    private static final int MAX_BURST = 1024;
    private static final int TIMEOUT_SECONDS = 30;

    private final BridgeLoadSettings settings;
    private final BridgeLoadTally tally;
    private final MqttTopic topic;
    private final MqttQos qos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sentSoFar = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("bench-mqtt-pub", true));
    private Mqtt5AsyncClient client;
    private long sent;
    private long startNanos;

    MqttPublisher(BridgeLoadSettings settings, BridgeLoadTally tally) {
        this.settings = settings;
        this.tally = tally;
        this.topic = MqttTopic.of(settings.mqttTopic);
        this.qos = MqttQos.fromCode(settings.qos);
    }

    @Override
    public void connect() throws Exception {
        client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("bench-pub-" + UUID.randomUUID())
                .transportConfig(MqttBrokerAddress.parse(settings.mqttUrl).transportConfig(TIMEOUT_SECONDS))
                .executorConfig()
                .nettyExecutor(new ThreadPerTaskExecutor(new DefaultThreadFactory("bench-mqtt-pub-io", true)))
                .nettyThreads(1)
                .applyExecutorConfig()
                .buildAsync();
        try {
            Mqtt5ConnAck connAck = client.connectWith().cleanStart(true).keepAlive(60).send()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // QoS 1/2 publishes the broker lets one client have unacknowledged: with the round trip, a publisher's cap.
            System.err.println("MQTT publisher connected; the broker's receive maximum is "
                    + connAck.getRestrictions().getReceiveMaximum());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("MQTT publisher could not connect to " + settings.mqttUrl + ": " + e, e);
        }
    }

    @Override
    public void probe(long n) throws Exception {
        client.publish(message(tally.seq(BridgeLoadTally.PROBE_PUBLISHER, n))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void start() {
        pacer.execute(() -> startNanos = System.nanoTime());
        pacer.scheduleAtFixedRate(this::pump, 1, 1, TimeUnit.MILLISECONDS);
    }

    /** On the pacer's thread only. */
    private void pump() {
        long budget = settings.window - (sent - tally.minReceived());
        if (settings.rate > 0) {
            budget = Math.min(budget, (long) ((System.nanoTime() - startNanos) * (settings.rate / 1e9)) - sent);
        }
        budget = Math.min(Math.min(budget, MAX_BURST), MAX_IN_FLIGHT - inFlight.get());
        for (; budget > 0; budget--) {
            inFlight.incrementAndGet();
            client.publish(message(tally.seq(0, sent++))).whenComplete((result, problem) -> {
                inFlight.decrementAndGet();
                if (problem != null || result.getError().isPresent()) {
                    if (failed.incrementAndGet() <= 5) {
                        System.err.println("MQTT publish failed: " + (problem != null ? problem : result.getError().get()));
                    }
                }
            });
        }
        sentSoFar.lazySet(sent);
    }

    private Mqtt5Publish message(long seq) {
        String body = "{\"t\":" + System.nanoTime() + ",\"seq\":" + seq + "}";
        return Mqtt5Publish.builder().topic(topic).qos(qos).payload(body.getBytes(StandardCharsets.US_ASCII)).build();
    }

    @Override
    public void stop() {
        pacer.shutdown();
        try {
            pacer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long totalSent() {
        return sentSoFar.get();
    }

    @Override
    public long sentToStream(int stream) {
        return totalSent();
    }

    @Override
    public long expectedArrivals() {
        return totalSent() * tally.streams();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        stop();
        if (client != null && client.getState().isConnected()) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("MQTT publisher close: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
