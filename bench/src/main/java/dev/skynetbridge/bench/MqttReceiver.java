package dev.skynetbridge.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.skynetbridge.mqtt.MqttBrokerAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An MQTT 5 subscriber (HiveMQ MQTT client, the bridge's own client) to the bridged channel's topic,
 * at the bridge's QoS. One client thread reads, decodes and counts: the global publish stream is
 * observed on a direct executor, so the callback runs on the connection's Netty event loop, one
 * message after the other (the tally's single writer), without a hand-off to another thread per
 * message: the tool must not be what limits the measurement.
 */
final class MqttReceiver implements BridgeReceiver {

    private static final int TIMEOUT_SECONDS = 30;
    private final BridgeLoadSettings settings;
    private final BridgeLoadTally tally;
    private final BridgeProbe probe = new BridgeProbe();
    private Mqtt5AsyncClient client;
    private volatile boolean connected;

    MqttReceiver(BridgeLoadSettings settings, BridgeLoadTally tally) {
        this.settings = settings;
        this.tally = tally;
    }

    @Override
    public void start() throws Exception {
        MqttBrokerAddress address = MqttBrokerAddress.parse(settings.mqttUrl);
        client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("bench-" + UUID.randomUUID())
                .transportConfig(address.transportConfig(TIMEOUT_SECONDS))
                // Daemon I/O thread: a subscription that never connected keeps the client's event loop,
                // which must not keep the JVM alive after the run has failed.
                .executorConfig()
                .nettyExecutor(new ThreadPerTaskExecutor(new DefaultThreadFactory("bench-mqtt", true)))
                .nettyThreads(1)
                .applyExecutorConfig()
                .addConnectedListener(context -> connected = true)
                .addDisconnectedListener(context -> {
                    // A failed connect is reported once, by start().
                    if (connected && context.getSource() != MqttDisconnectSource.USER) {
                        System.err.println("MQTT subscriber disconnected: " + context.getCause());
                    }
                })
                .buildAsync();
        // Registered before connecting, so nothing the broker sends is missed.
        client.publishes(MqttGlobalPublishFilter.ALL, this::arrived, Runnable::run);
        await(client.connectWith().cleanStart(true).keepAlive(60).send(), "connect to " + settings.mqttUrl);
        Mqtt5SubAck subAck = await(client.subscribeWith()
                .topicFilter(settings.mqttTopic)
                .qos(MqttQos.fromCode(settings.qos))
                .send(), "subscribe to " + settings.mqttTopic + " on " + settings.mqttUrl);
        if (subAck.getReasonCodes().stream().anyMatch(Mqtt5SubAckReasonCode::isError)) {
            throw new IllegalStateException("the broker refused the subscription to " + settings.mqttTopic
                    + ": " + subAck.getReasonCodes());
        }
    }

    private void arrived(Mqtt5Publish publish) {
        long now = System.nanoTime();
        if (probe.read(publish.getPayloadAsBytes())) {
            tally.arrived(probe, now);
        } else {
            tally.unparsed.incrementAndGet();
        }
    }

    /** The client's result, or one line saying which step failed and why. */
    private static <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("MQTT subscriber could not " + what + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("MQTT subscriber could not " + what + " within " + TIMEOUT_SECONDS
                    + " s", e);
        }
    }

    @Override
    public void close() {
        if (client == null) {
            return;
        }
        try {
            if (client.getState().isConnectedOrReconnect()) {
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("MQTT subscriber close: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
