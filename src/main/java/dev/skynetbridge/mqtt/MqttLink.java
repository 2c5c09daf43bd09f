package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge's connection to one MQTT broker, shared by the bridge's consumer and producer. Sharing
 * it is what makes MQTT 5 No Local work as a loop guard: the broker does not send the bridge's own
 * publishes back to the same connection.
 *
 * <p>Built on the HiveMQ MQTT client (Netty): it writes many PUBLISH packets per system call, where the
 * Paho client this replaced flushed each one on its own thread (measured in BENCHMARKS.md).
 *
 * <ul>
 *   <li>Connects in the background and keeps reconnecting with backoff, so start-up never fails
 *       because the broker is down; every (re)connect subscribes again (clean start). See
 *       {@link MqttConnectionState} and {@link MqttSubscriptions}.
 *   <li>Publishes go through a bounded outbox ({@link MqttOutbox}), in order. Nothing waits for the broker: a
 *       message is handed to the client at once from the caller's thread while fewer than {@link #MAX_IN_FLIGHT}
 *       are unconfirmed, otherwise it waits in the outbox and is handed over as confirmations come in. While
 *       the broker is unreachable messages wait there. When the outbox is full the oldest message is
 *       dropped, counted and logged (newer state is worth more than older). A message counts as published
 *       once the broker acknowledged it (QoS 1/2) or it was written (QoS 0). When the connection drops,
 *       the unconfirmed ones go back to the head of the outbox in their order and are sent again after the
 *       reconnect: delivery is at least once, the broker may see a message twice.
 *   <li>Counters: at a quiet moment {@code received = published + failed + buffered + dropped}
 *       ({@link #receivedCount()}, {@link #publishedCount()}, {@link #failedCount()}, {@link #bufferedCount()},
 *       {@link #droppedCount()}).
 *   <li>State changes (connected, unreachable, lost) are one log line each; {@link #status()} reports them.
 *   <li>Availability ({@link MqttAvailability}): a retained online on the status topic after every connect, a last
 *       will with the retained offline, and the offline published before a clean disconnect. These go straight to
 *       the client (not through the outbox or its counters), ahead of anything waiting.
 * </ul>
 *
 * <p>Inbound QoS 0 messages the route cannot take fast enough wait inside the HiveMQ client (up to
 * {@link MqttLinkOptions#inboundQueueSize()} beyond its own 128-message hand-off buffer: the client bounds that queue
 * by the Receive Maximum the link announces, so the link announces that size); past that the client drops the
 * oldest and logs "QoS 0 publish message dropped." at WARN, once per message. The client offers no other bound,
 * no backpressure (it reads the socket regardless) and no counter, callback or event for it: {@link InboundQos0Drops}
 * counts those log events instead (for every link of the JVM together: the event does not say which connection) and
 * turns them into one rate-limited WARN. QoS 1/2 messages are bounded by the broker instead: it sends at most its
 * own in-flight window (or this Receive Maximum, the smaller) unacknowledged, and the client acknowledges each after
 * the route.
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final long STOP_DRAIN_MS = 2_000;
    /**
     * Most messages handed to the client and not yet confirmed. It must stay well below the client's own
     * limit of 64 publishes in progress ({@code MqttOutgoingQosHandler.MAX_CONCURRENT_PUBLISH_FLOWABLES} in
     * HiveMQ MQTT client 1.3): beyond that, {@code publish()} blocks its caller until one completes. It also
     * bounds how many messages are sent twice after a connection loss. (The client keeps QoS 1/2 publishes
     * within the broker's Receive Maximum by itself.)
     */
    static final int MAX_IN_FLIGHT = 32;
    /** A message for the broker. */
    public record Outgoing(String topic, byte[] payload, int qos, boolean retain, String contentType,
                           Map<String, String> userProperties) {
    }

    /** A message from the broker: its topic, payload and the user properties in their order. */
    public record Incoming(String topic, byte[] payload, int qos, boolean retained, Map<String, String> userProperties) {

        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Receives the messages of one subscription, in the order the broker sent them. */
    public interface Listener extends Consumer<Incoming> {
    }

    /**
     * What {@link #status()} reports. Outbound: {@code received = published + failed + buffered + dropped} at a
     * quiet moment. Inbound: {@code delivered} messages handed to listeners, {@code listenerFailures} of them threw.
     */
    public record Status(String brokerUrl, String clientId, boolean connected, int subscriptionsActive, int buffered,
                         int bufferSize, long received, long published, long failed, long dropped, long connects,
                         long delivered, long listenerFailures, String lastProblem) {
    }

    private final String brokerUrl;
    private final MqttBrokerAddress address;
    private final String clientId;
    private final MqttLinkOptions options;
    private final MqttConnectionState connection;
    private final MqttSubscriptions subscriptions;
    private final MqttAvailability availability;
    private final MqttStatusMessages status;
    private final ScheduledExecutorService scheduler;
    private final MqttOutbox<Queued> outbox;
    private volatile Mqtt5AsyncClient client;

    /** A publish in the outbox, with the future of {@link #publishConfirmed} (null for plain publishes). */
    private record Queued(Mqtt5Publish publish, CompletableFuture<Void> confirmation) {
    }

    /**
     * @param brokerUrl tcp://host:port, ssl://host:port, ws://host:port/path or wss://host:port/path
     * @param scheduler one thread: runs the reconnect backoff timers and the link's reaction to connection changes
     * @throws IllegalArgumentException if the URL is not usable, with what is expected
     */
    public MqttLink(String brokerUrl, String clientId, MqttLinkOptions options, ScheduledExecutorService scheduler) {
        this(brokerUrl, clientId, options, MqttAvailability.off(), scheduler);
    }

    /**
     * @param availability the status topic and its payloads, or {@link MqttAvailability#off()}
     */
    public MqttLink(String brokerUrl, String clientId, MqttLinkOptions options, MqttAvailability availability,
                    ScheduledExecutorService scheduler) {
        this.brokerUrl = Objects.requireNonNull(brokerUrl, "brokerUrl");
        this.availability = Objects.requireNonNull(availability, "availability");
        this.status = new MqttStatusMessages(brokerUrl, availability);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.address = MqttBrokerAddress.parse(brokerUrl);
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.options = Objects.requireNonNull(options, "options");
        this.subscriptions = new MqttSubscriptions(brokerUrl, options.shareGroup());
        this.connection = new MqttConnectionState(brokerUrl, clientId, options,
                Objects.requireNonNull(scheduler, "scheduler"), new ConnectionReactions());
        this.outbox = new MqttOutbox<>(brokerUrl, options.bufferSize(), MAX_IN_FLIGHT, new ClientSender(),
                connection::isConnected);
    }

    /** Starts connecting in the background; returns at once. */
    public synchronized void start() {
        if (connection.isRunning()) {
            return;
        }
        InboundQos0Drops.install(options.inboundQueueSize());
        Mqtt5AsyncClient created = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .transportConfig(address.transportConfig(options.connectTimeoutSeconds()))
                .addConnectedListener(connection)
                .addDisconnectedListener(connection)
                .buildAsync();
        // One ordered stream for every subscription; messages are matched to listeners there.
        created.publishes(MqttGlobalPublishFilter.ALL, subscriptions::dispatch);
        client = created;
        connection.start();
        Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> connect = created.connectWith()
                .cleanStart(true)
                .keepAlive(options.keepAliveSeconds())
                // The Receive Maximum: QoS 1/2 messages the broker may have unacknowledged towards us, and the bound of
                // the client's queue of QoS 0 messages waiting for the route.
                .restrictions().receiveMaximum(options.inboundQueueSize()).applyRestrictions();
        Optional<Mqtt5SimpleAuth> auth = HiveMqMessages.simpleAuth(options.username(), options.password());
        if (auth.isPresent()) {
            connect = connect.simpleAuth(auth.get());
        }
        if (availability.enabled()) {
            connect = connect.willPublish(status.will());
        }
        // Failures are reported (and retried) by the connection state, which the client calls for a failed connect too.
        connect.send();
    }

    /**
     * Adds a subscription (made now if connected, and again after every reconnect).
     *
     * @return what removes the subscription again
     * @throws IllegalArgumentException if the filter is not a valid MQTT topic filter or the QoS not 0, 1 or 2
     */
    public Runnable subscribe(String filter, int qos, Listener listener) {
        return subscriptions.add(filter, qos, listener, () -> connection.isConnected() ? client : null);
    }

    /**
     * Queues a message for the broker; never blocks. When the outbox is full the oldest waiting
     * message is dropped (counted and logged) to make room.
     *
     * @throws IllegalArgumentException if the message cannot be an MQTT publish (an invalid topic, say)
     */
    public void publish(Outgoing message) {
        // built on the caller's thread, outside the outbox's lock
        outbox.offer(new Queued(HiveMqMessages.toPublish(message), null));
    }

    /**
     * Like {@link #publish}, and says when the broker has the message: the future completes once the broker
     * acknowledged it (QoS 1/2) or it was written (QoS 0), and fails when the broker refused it or it was dropped
     * (outbox full, link closed). It completes on a client or scheduler thread: do slow work elsewhere.
     */
    public CompletableFuture<Void> publishConfirmed(Outgoing message) {
        CompletableFuture<Void> confirmation = new CompletableFuture<>();
        outbox.offer(new Queued(HiveMqMessages.toPublish(message), confirmation));
        return confirmation;
    }

    /** The status topic and payloads this link keeps up to date (possibly {@link MqttAvailability#off()}). */
    public MqttAvailability availability() {
        return availability;
    }

    public Status status() {
        return new Status(brokerUrl, clientId, connection.isConnected(), subscriptions.activeCount(),
                outbox.bufferedCount(), outbox.capacity(), outbox.receivedCount(), outbox.publishedCount(),
                outbox.failedCount(), outbox.droppedCount(), connection.connectCount(), subscriptions.deliveredCount(),
                subscriptions.listenerFailureCount(), connection.lastProblem());
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    /** Messages accepted by {@link #publish}. */
    public long receivedCount() {
        return outbox.receivedCount();
    }

    /** Messages the broker confirmed (QoS 1/2) or that were written (QoS 0). */
    public long publishedCount() {
        return outbox.publishedCount();
    }

    /** Messages the broker refused; they are not sent again. */
    public long failedCount() {
        return outbox.failedCount();
    }

    /** Messages lost to the outbox's bound, or still queued when the link closed. */
    public long droppedCount() {
        return outbox.droppedCount();
    }

    /** Messages waiting in the outbox plus those handed to the broker and not yet confirmed. */
    public int bufferedCount() {
        return outbox.bufferedCount();
    }

    /** Messages unconfirmed when the connection dropped, put back to be sent again after the reconnect. */
    public long resentCount() {
        return outbox.resentCount();
    }

    /** When the broker last confirmed a message (or it was written, QoS 0), epoch ms; 0 before the first. */
    public long lastPublishedMillis() {
        return outbox.lastPublishedMillis();
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    /**
     * Inbound QoS 0 messages the MQTT client dropped because a route read slower than they came, every link of the
     * JVM together (see {@link InboundQos0Drops}).
     */
    public static long inboundQos0Dropped() {
        return InboundQos0Drops.dropped();
    }

    /** Stops: waits up to 2 s for a connected broker to take what is still queued, then disconnects. */
    @Override
    public synchronized void close() {
        if (!connection.isRunning()) {
            return;
        }
        connection.stop();
        outbox.awaitEmpty(STOP_DRAIN_MS);
        outbox.discardAll();
        Mqtt5AsyncClient current = client;
        try {
            if (current.getState().isConnected()) {
                if (status.publishOffline(current)) {
                    current.disconnect().get(2, TimeUnit.SECONDS);
                } else {
                    // The broker did not confirm offline in time: ask it to publish the will instead.
                    current.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send()
                            .get(2, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            LOG.debug("Disconnect from {} failed: {}", brokerUrl, HiveMqMessages.describe(e));
        }
        connection.closed();
        LOG.info("MQTT link to {} closed ({} published, {} refused, {} dropped)", brokerUrl, outbox.publishedCount(),
                outbox.failedCount(), outbox.droppedCount());
    }

    /** Hands the outbox's messages to the HiveMQ client and reads its completions. */
    private final class ClientSender implements MqttOutbox.Sender<Queued> {

        @Override
        public void send(Queued message, MqttOutbox.Delivery delivery) {
            client.publish(message.publish()).whenComplete((result, failure) -> {
                if (failure != null && HiveMqMessages.isConnectionProblem(failure)) {
                    return; // the disconnect puts it back in order with the others
                }
                Throwable refusal = failure != null ? failure : result.getError().orElse(null);
                if (refusal == null) {
                    delivery.confirmed();
                    if (message.confirmation() != null) {
                        message.confirmation().complete(null);
                    }
                } else {
                    delivery.refused(HiveMqMessages.describe(refusal));
                    if (message.confirmation() != null) {
                        message.confirmation().completeExceptionally(new IllegalStateException("the broker refused"
                                + " the publish to " + describe(message) + ": " + HiveMqMessages.describe(refusal)));
                    }
                }
            });
        }

        @Override
        public String describe(Queued message) {
            return message.publish().getTopic().toString();
        }

        @Override
        public void dropped(Queued message) {
            CompletableFuture<Void> confirmation = message.confirmation();
            if (confirmation != null) {
                // Called under the outbox's lock: let whoever waits run on the scheduler's thread instead.
                IllegalStateException dropped = new IllegalStateException("the publish to " + describe(message)
                        + " was dropped before the broker had it");
                try {
                    scheduler.execute(() -> confirmation.completeExceptionally(dropped));
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    confirmation.completeExceptionally(dropped);
                }
            }
        }
    }

    private final class ConnectionReactions implements MqttConnectionState.Reactions {

        @Override
        public void connected() {
            if (availability.enabled()) {
                status.publishOnline(client);
            }
            subscriptions.subscribeAll(client);
            outbox.sendWaiting();
        }

        @Override
        public void connectedWhileClosing() {
            client.disconnect();
        }

        @Override
        public int lost() {
            subscriptions.connectionLost();
            return outbox.takeBackInFlight();
        }

        @Override
        public int waiting() {
            return outbox.waitingCount();
        }
    }
}
