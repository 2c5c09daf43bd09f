package dev.skynetbridge.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A Paho MQTT 5 client for tests: records what arrives, counts connection losses, and
 * subscribes again after an automatic reconnect (a restarted broker has forgotten the session).
 */
public final class MqttTestClient implements AutoCloseable {

    private static final long TOKEN_TIMEOUT_MS = 10_000;

    private final MqttAsyncClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>(10_000);
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionLosses = new AtomicInteger();
    private final AtomicInteger reconnects = new AtomicInteger();

    /** A message as it arrived, with its MQTT 5 user properties. */
    public record Received(String topic, byte[] payload, Map<String, String> userProperties) {
        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private MqttTestClient(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects with a clean start and automatic reconnect (1-2 s back-off, so outage tests stay short). */
    public static MqttTestClient connect(String serverUri) throws MqttException {
        return connect(serverUri, false);
    }

    /**
     * @param persistentSession keep the session (subscriptions, queued QoS 1 messages) on the broker while
     *     disconnected, for up to 10 minutes: messages published while this client is away reach it on reconnect
     */
    public static MqttTestClient connect(String serverUri, boolean persistentSession) throws MqttException {
        return connect(serverUri, persistentSession, null, null);
    }

    /** Connects with a user name and password (a broker from {@code MosquittoBroker.withPassword}). */
    public static MqttTestClient connect(String serverUri, String username, String password) throws MqttException {
        return connect(serverUri, false, username, password);
    }

    private static MqttTestClient connect(String serverUri, boolean persistentSession, String username,
            String password) throws MqttException {
        MqttAsyncClient paho = new MqttAsyncClient(serverUri, "test-" + UUID.randomUUID(), new MemoryPersistence());
        MqttTestClient testClient = new MqttTestClient(paho);
        paho.setCallback(testClient.new Callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(!persistentSession);
        if (persistentSession) {
            options.setSessionExpiryInterval(600L);
        }
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        options.setConnectionTimeout(10);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        paho.connect(options).waitForCompletion(TOKEN_TIMEOUT_MS);
        return testClient;
    }

    public void subscribe(String topicFilter) throws MqttException {
        subscriptions.add(topicFilter);
        client.subscribe(topicFilter, 1).waitForCompletion(TOKEN_TIMEOUT_MS);
    }

    public void publish(String topic, String payload, Map<String, String> userProperties) throws MqttException {
        publish(topic, payload, userProperties, false);
    }

    /** Publishes raw bytes at QoS 1, without properties. */
    public void publish(String topic, byte[] payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        client.publish(topic, message).waitForCompletion(TOKEN_TIMEOUT_MS);
    }

    /** QoS 1; {@code retained} asks the broker to keep the message for later subscribers. */
    public void publish(String topic, String payload, Map<String, String> userProperties, boolean retained)
            throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        MqttProperties properties = new MqttProperties();
        properties.setUserProperties(userProperties.entrySet().stream()
                .map(e -> new UserProperty(e.getKey(), e.getValue()))
                .toList());
        message.setProperties(properties);
        client.publish(topic, message).waitForCompletion(TOKEN_TIMEOUT_MS);
    }

    /** The next message, or null after the timeout. */
    public Received poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public int connectionLosses() {
        return connectionLosses.get();
    }

    public int reconnects() {
        return reconnects.get();
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TOKEN_TIMEOUT_MS);
            }
        } finally {
            client.close(true);
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            connectionLosses.incrementAndGet();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // surfaced through disconnected() / failed tokens; nothing to record
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            Map<String, String> userProperties = new java.util.LinkedHashMap<>();
            List<UserProperty> props = message.getProperties() == null
                    ? List.of() : message.getProperties().getUserProperties();
            for (UserProperty p : props) {
                userProperties.put(p.getKey(), p.getValue());
            }
            // offer, not put: a full queue in a test means the test stopped reading; never block Paho's thread
            received.offer(new Received(topic, message.getPayload(), userProperties));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (!reconnect) {
                return;
            }
            reconnects.incrementAndGet();
            // Asynchronous on purpose: waiting on a token inside a Paho callback can deadlock.
            for (String filter : subscriptions) {
                try {
                    client.subscribe(filter, 1);
                } catch (MqttException e) {
                    throw new IllegalStateException("Re-subscribe to " + filter + " failed", e);
                }
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
