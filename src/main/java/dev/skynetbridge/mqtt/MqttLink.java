package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.skynetbridge.support.Backoff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
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
 *       because the broker is down; every (re)connect subscribes again (clean start).
 *   <li>Publishes go through a bounded outbox, in order. Nothing waits for the broker: a message is handed
 *       to the client at once from the caller's thread while fewer than {@link #MAX_IN_FLIGHT} are
 *       unconfirmed, otherwise it waits in the outbox and is handed over as confirmations come in. While
 *       the broker is unreachable messages wait there. When the outbox is full the oldest message is
 *       dropped, counted and logged (newer state is worth more than older). A message counts as published
 *       once the broker acknowledged it (QoS 1/2) or it was written (QoS 0). When the connection drops,
 *       the unconfirmed ones go back to the head of the outbox in their order and are sent again after the
 *       reconnect: delivery is at least once, the broker may see a message twice.
 *   <li>State changes (connected, unreachable, lost) are one log line each; {@link #status()} reports them.
 * </ul>
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
    /**
     * The Receive Maximum this link announces: QoS 1/2 messages the broker may have unacknowledged towards us.
     * QoS 0 messages waiting for the route beyond this many are dropped oldest-first by the client, which logs
     * "QoS 0 publish message dropped".
     */
    static final int INBOUND_RECEIVE_MAXIMUM = 1_024;

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

    /** What {@link #status()} reports. */
    public record Status(String brokerUrl, String clientId, boolean connected, int subscriptionsActive, int buffered,
                         int bufferSize, long published, long dropped, long connects, String lastProblem) {
    }

    private static final class Subscription {
        final MqttTopicFilter filter;
        final int qos;
        final Listener listener;
        /** The broker confirmed it on the current connection. */
        volatile boolean active;

        Subscription(MqttTopicFilter filter, int qos, Listener listener) {
            this.filter = filter;
            this.qos = qos;
            this.listener = listener;
        }
    }

    private final String brokerUrl;
    private final MqttBrokerAddress address;
    private final String clientId;
    private final MqttLinkOptions options;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder connects = new LongAdder();

    /** Guards the outbox, the in-flight list and the counts below; also what {@link #close()} waits on. */
    private final Object lock = new Object();
    /** Messages not yet handed to the client, oldest first; at most {@code options.bufferSize()}. */
    private final ArrayDeque<Mqtt5Publish> outbox = new ArrayDeque<>();
    /** Messages handed to the client, oldest first, until confirmed or put back (settled ones leave from the head). */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private int unconfirmed;
    /** Set while {@link #drain()} runs, so a completion that arrives inside it does not start a second one. */
    private boolean draining;
    private volatile boolean connected;

    private Mqtt5AsyncClient client;
    private volatile boolean running;
    private volatile boolean everConnected;
    private volatile boolean reportedUnreachable;
    private volatile String lastProblem;
    private volatile long disconnectedSinceNanos = System.nanoTime();
    /** Completed when the next reconnect attempt may start (by the scheduler after the backoff, or by close). */
    private volatile CompletableFuture<Void> reconnectGate;

    /**
     * @param brokerUrl tcp://host:port, ssl://host:port, ws://host:port/path or wss://host:port/path
     * @param scheduler one thread: runs the reconnect backoff timers and the link's reaction to connection changes
     * @throws IllegalArgumentException if the URL is not usable, with what is expected
     */
    public MqttLink(String brokerUrl, String clientId, MqttLinkOptions options, ScheduledExecutorService scheduler) {
        this.brokerUrl = Objects.requireNonNull(brokerUrl, "brokerUrl");
        this.address = MqttBrokerAddress.parse(brokerUrl);
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.backoff = new Backoff(options.reconnectInitialDelayMillis(), options.reconnectMaxDelayMillis());
    }

    /** Starts connecting in the background; returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .transportConfig(address.transportConfig(options.connectTimeoutSeconds()))
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected)
                .buildAsync();
        // One ordered stream for every subscription; messages are matched to listeners here.
        client.publishes(MqttGlobalPublishFilter.ALL, this::onIncoming);
        running = true;
        Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> connect = client.connectWith()
                .cleanStart(true)
                .keepAlive(options.keepAliveSeconds())
                .restrictions().receiveMaximum(INBOUND_RECEIVE_MAXIMUM).applyRestrictions();
        boolean hasUsername = options.username() != null && !options.username().isEmpty();
        boolean hasPassword = options.password() != null && !options.password().isEmpty();
        if (hasUsername || hasPassword) {
            byte[] password = hasPassword ? options.password().getBytes(StandardCharsets.UTF_8) : null;
            Mqtt5SimpleAuthBuilder.Complete auth = hasUsername
                    ? Mqtt5SimpleAuth.builder().username(options.username())
                    : Mqtt5SimpleAuth.builder().password(password);
            if (hasUsername && hasPassword) {
                auth = auth.password(password);
            }
            connect = connect.simpleAuth(auth.build());
        }
        // Failures are reported (and retried) by onDisconnected, which the client calls for a failed connect too.
        connect.send();
    }

    /**
     * Adds a subscription (made now if connected, and again after every reconnect).
     *
     * @throws IllegalArgumentException if the filter is not a valid MQTT topic filter
     */
    public Runnable subscribe(String filter, int qos, Listener listener) {
        Subscription subscription = new Subscription(MqttTopicFilter.of(filter), qos, listener);
        subscriptions.add(subscription);
        if (connected) {
            sendSubscribe(subscription);
        }
        return () -> {
            subscriptions.remove(subscription);
            Mqtt5AsyncClient current = client;
            if (connected && current != null
                && subscriptions.stream().noneMatch(s -> s.filter.equals(subscription.filter))) {
                current.unsubscribeWith().topicFilter(subscription.filter).send()
                        .whenComplete((ack, problem) -> {
                            if (problem != null) {
                                LOG.debug("Unsubscribe {} from {} failed: {}", filter, brokerUrl, describe(problem));
                            }
                        });
            }
        };
    }

    /**
     * Queues a message for the broker; never blocks. When the outbox is full the oldest waiting
     * message is dropped (counted and logged) to make room.
     *
     * @throws IllegalArgumentException if the message cannot be an MQTT publish (an invalid topic, say)
     */
    public void publish(Outgoing message) {
        Mqtt5Publish publish = toMqtt(message); // built on the caller's thread, outside the lock
        synchronized (lock) {
            if (outbox.size() >= options.bufferSize()) {
                outbox.pollFirst();
                dropped.increment();
                long total = dropped.sum();
                if (total == 1 || total % 1000 == 0) {
                    LOG.warn("MQTT {}: the outbox is full ({} messages waiting for the broker{}); the oldest was"
                             + " dropped, {} dropped so far. Raise bufferSize or fix the broker connection.",
                            brokerUrl, options.bufferSize(), connected ? "" : ", which is unreachable", total);
                }
            }
            outbox.addLast(publish);
            drain();
        }
    }

    /**
     * Hands waiting messages to the client, oldest first, while the connection is up and the window has room.
     * Runs under the lock, so the client receives them in outbox order whichever thread calls.
     */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (connected && unconfirmed < MAX_IN_FLIGHT && !outbox.isEmpty()) {
                Mqtt5Publish next = outbox.pollFirst();
                InFlight entry = new InFlight(next);
                inFlight.addLast(entry);
                unconfirmed++;
                // The client only queues it for its event loop; a completion may still arrive right here
                // (for example "not connected"), and drain() does not recurse into itself.
                client.publish(next).whenComplete(entry);
            }
        } finally {
            draining = false;
        }
    }

    /** A message handed to the client and not yet confirmed; its own completion handler. */
    private final class InFlight implements BiConsumer<Mqtt5PublishResult, Throwable> {
        final Mqtt5Publish message;
        /** Confirmed, refused, or taken back after a connection loss; guarded by the lock. */
        boolean settled;

        InFlight(Mqtt5Publish message) {
            this.message = message;
        }

        @Override
        public void accept(Mqtt5PublishResult result, Throwable failure) {
            synchronized (lock) {
                if (settled) {
                    return; // already put back after a connection loss: it will be sent again (at least once)
                }
                if (failure != null && isConnectionProblem(failure)) {
                    return; // the disconnect handler puts it back in order with the others
                }
                settled = true;
                unconfirmed--;
                Throwable refusal = failure != null ? failure : result.getError().orElse(null);
                if (refusal == null) {
                    published.increment();
                } else {
                    refused(message, refusal);
                }
                while (!inFlight.isEmpty() && inFlight.peekFirst().settled) {
                    inFlight.pollFirst();
                }
                drain();
                if (!running) {
                    lock.notifyAll(); // close() waits for the last confirmations
                }
            }
        }
    }

    /** The broker (or the client, for a packet the broker cannot take) refused a message: it is dropped. */
    private void refused(Mqtt5Publish message, Throwable refusal) {
        dropped.increment();
        long total = dropped.sum();
        String line = "MQTT {}: the broker refused a publish to {} ({}); it is dropped, {} dropped so far";
        if (total == 1 || total % 1000 == 0) {
            LOG.warn(line, brokerUrl, message.getTopic(), describe(refusal), total);
        } else {
            LOG.debug(line, brokerUrl, message.getTopic(), describe(refusal), total);
        }
    }

    private static boolean isConnectionProblem(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ConnectionClosedException || cause instanceof ConnectionFailedException
               || cause instanceof MqttClientStateException || cause instanceof MqttSessionExpiredException;
    }

    /*
     * The client calls its listeners on its Netty event loop, which must never wait for the link's lock: a
     * caller holding the lock may itself be waiting inside publish() for that event loop. So the listeners
     * only note the state and hand the rest to the scheduler's thread (one thread, so in order).
     */

    private void onConnected(MqttClientConnectedContext context) {
        // Set here, in the client's order of events. Messages waiting in the outbox go out from the scheduler's
        // thread, after the previous connection's unconfirmed ones were put back (queued before, same thread).
        connected = true;
        scheduler.execute(this::afterConnected);
    }

    private void afterConnected() {
        if (!running) {
            client.disconnect(); // connected just as the link closed
            return;
        }
        if (!connected) {
            return; // already lost again; afterDisconnected reports it
        }
        connects.increment();
        backoff.reset();
        long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedSinceNanos);
        int waiting;
        synchronized (lock) {
            waiting = outbox.size();
        }
        if (everConnected) {
            LOG.info("MQTT broker {} connected again after {} ms; {} messages waiting in the outbox are sent now",
                    brokerUrl, downMillis, waiting);
        } else {
            LOG.info("MQTT broker {} connected (client id {})", brokerUrl, clientId);
        }
        everConnected = true;
        reportedUnreachable = false;
        lastProblem = null;
        for (Subscription subscription : subscriptions) {
            sendSubscribe(subscription);
        }
        synchronized (lock) {
            drain();
        }
    }

    /** Called for a lost connection and for a failed connect attempt alike; schedules the next attempt. */
    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasConnected = connected;
        connected = false; // drain() stops handing over messages; what it still hands over fails and is put back
        lastProblem = describe(context.getCause());
        if (wasConnected) {
            disconnectedSinceNanos = System.nanoTime();
        }
        long delay = backoff.nextDelayMillis();
        if (running) {
            // Our own timer rather than the client's delay, so that close() can cancel a pending attempt.
            CompletableFuture<Void> gate = new CompletableFuture<>();
            reconnectGate = gate;
            MqttClientReconnector reconnector = context.getReconnector();
            reconnector.reconnectWhen(gate, (ignored, problem) -> {
                        if (!running) {
                            reconnector.reconnect(false);
                        }
                    })
                    .delay(0, TimeUnit.MILLISECONDS)
                    .resubscribeIfSessionExpired(false) // subscriptions are ours to make, once each
                    .republishIfSessionExpired(false); // unconfirmed messages go back to our outbox
            scheduler.schedule(() -> gate.complete(null), delay, TimeUnit.MILLISECONDS);
        }
        boolean refused = context.getCause() instanceof Mqtt5ConnAckException;
        scheduler.execute(() -> afterDisconnected(wasConnected, refused, delay));
    }

    private void afterDisconnected(boolean wasConnected, boolean refused, long delay) {
        int requeued;
        synchronized (lock) {
            requeued = requeueInFlight();
            lock.notifyAll();
        }
        subscriptions.forEach(subscription -> subscription.active = false);
        if (!running) {
            return; // closing: no reconnect
        }
        if (wasConnected) {
            reportedUnreachable = true;
            LOG.warn("MQTT broker {} connection lost ({}); reconnecting, messages wait in the outbox (up to {}){}",
                    brokerUrl, lastProblem, options.bufferSize(), requeued > 0 ? "; " + requeued
                    + " messages not confirmed before the drop are sent again after the reconnect (the broker may"
                    + " see some of them twice)" : "");
        } else if (!reportedUnreachable) {
            reportedUnreachable = true;
            if (refused) {
                LOG.warn("MQTT broker {} refused the connection ({}): check the bridge's username and password (or"
                         + " the broker's access rules); retrying in the background, messages to it wait in the"
                         + " outbox (up to {})", brokerUrl, lastProblem, options.bufferSize());
            } else {
                LOG.warn("MQTT broker {} is unreachable ({}); retrying in the background, messages to it wait in"
                         + " the outbox (up to {})", brokerUrl, lastProblem, options.bufferSize());
            }
        } else {
            LOG.debug("MQTT broker {} still unreachable ({}); next attempt in {} ms", brokerUrl, lastProblem, delay);
        }
    }

    /** After a connection loss: every unconfirmed message back to the head of the outbox, in order. */
    private int requeueInFlight() {
        int count = 0;
        for (Iterator<InFlight> it = inFlight.descendingIterator(); it.hasNext(); ) {
            InFlight entry = it.next();
            if (!entry.settled) {
                entry.settled = true;
                putBack(entry.message);
                count++;
            }
        }
        inFlight.clear();
        unconfirmed = 0;
        return count;
    }

    /** Puts a message back at the head of the outbox; if it is full, this message is the oldest and is dropped. */
    private void putBack(Mqtt5Publish message) {
        if (outbox.size() >= options.bufferSize()) {
            dropped.increment();
            LOG.warn("MQTT {}: the outbox is full; a message sent before the connection dropped was dropped, {}"
                     + " dropped so far", brokerUrl, dropped.sum());
            return;
        }
        outbox.addFirst(message);
    }

    private void sendSubscribe(Subscription subscription) {
        client.subscribeWith()
                .topicFilter(subscription.filter)
                .qos(qosOf(subscription.qos))
                // No Local: the broker never sends this connection its own publishes (the MQTT side of the loop guard).
                .noLocal(true)
                .send()
                .whenComplete((subAck, problem) -> onSubscribed(subscription, subAck, problem));
    }

    private void onSubscribed(Subscription subscription, Mqtt5SubAck subAck, Throwable problem) {
        if (problem != null) {
            if (isConnectionProblem(problem)) {
                LOG.debug("Subscribing to {} on {} was cut off by the connection; it is made again on the reconnect",
                        subscription.filter, brokerUrl);
            } else {
                LOG.error("MQTT broker {} refused the subscription {} ({}); nothing from MQTT reaches Skynet through"
                          + " it", brokerUrl, subscription.filter, describe(problem));
            }
            return;
        }
        Mqtt5SubAckReasonCode code = subAck.getReasonCodes().isEmpty() ? null : subAck.getReasonCodes().get(0);
        if (code != null && code.isError()) {
            LOG.error("MQTT broker {} refused the subscription {} (reason {}); nothing from MQTT reaches Skynet"
                      + " through it", brokerUrl, subscription.filter, code);
            return;
        }
        if (subscriptions.contains(subscription)) {
            subscription.active = true;
        }
        LOG.debug("Subscribed to {} on {}", subscription.filter, brokerUrl);
    }

    private void onIncoming(Mqtt5Publish publish) {
        Incoming incoming = null;
        for (Subscription subscription : subscriptions) {
            if (!subscription.filter.matches(publish.getTopic())) {
                continue;
            }
            if (incoming == null) {
                incoming = toIncoming(publish);
            }
            try {
                subscription.listener.accept(incoming);
            } catch (RuntimeException e) {
                // A failing route must not break the connection for every other message.
                LOG.warn("Handling a message from {} topic {} failed: {}", brokerUrl, incoming.topic(), e.toString(), e);
            }
        }
    }

    private static Incoming toIncoming(Mqtt5Publish publish) {
        List<? extends Mqtt5UserProperty> list = publish.getUserProperties().asList();
        Map<String, String> properties;
        if (list.isEmpty()) {
            properties = Map.of();
        } else {
            properties = new LinkedHashMap<>();
            for (Mqtt5UserProperty property : list) {
                properties.put(property.getName().toString(), property.getValue().toString());
            }
            properties = Collections.unmodifiableMap(properties);
        }
        return new Incoming(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.getQos().getCode(),
                publish.isRetain(), properties);
    }

    private static Mqtt5Publish toMqtt(Outgoing outgoing) {
        Mqtt5PublishBuilder.Complete builder = Mqtt5Publish.builder()
                .topic(outgoing.topic())
                .qos(qosOf(outgoing.qos()))
                .retain(outgoing.retain())
                .payload(outgoing.payload());
        if (outgoing.contentType() != null) {
            builder.contentType(outgoing.contentType());
        }
        if (!outgoing.userProperties().isEmpty()) {
            Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
            outgoing.userProperties().forEach(properties::add);
            builder.userProperties(properties.build());
        }
        return builder.build();
    }

    private static MqttQos qosOf(int qos) {
        MqttQos value = MqttQos.fromCode(qos);
        if (value == null) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, was " + qos);
        }
        return value;
    }

    public Status status() {
        int active = (int) subscriptions.stream().filter(subscription -> subscription.active).count();
        return new Status(brokerUrl, clientId, connected, active, bufferedCount(), options.bufferSize(),
                published.sum(), dropped.sum(), connects.sum(), lastProblem);
    }

    public boolean isConnected() {
        return connected;
    }

    public long droppedCount() {
        return dropped.sum();
    }

    public long publishedCount() {
        return published.sum();
    }

    /** Messages waiting in the outbox plus those handed to the broker and not yet confirmed. */
    public int bufferedCount() {
        synchronized (lock) {
            return outbox.size() + unconfirmed;
        }
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    /** Stops: waits up to 2 s for a connected broker to take what is still queued, then disconnects. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        CompletableFuture<Void> gate = reconnectGate;
        if (gate != null) {
            gate.complete(null); // a pending reconnect sees running == false and is cancelled
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MS);
        int left;
        synchronized (lock) {
            try {
                while (connected && (!outbox.isEmpty() || unconfirmed > 0) && System.nanoTime() < deadline) {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            left = outbox.size() + unconfirmed;
            inFlight.forEach(entry -> entry.settled = true);
            inFlight.clear();
            outbox.clear();
            unconfirmed = 0;
        }
        if (left > 0) {
            dropped.add(left);
            LOG.warn("MQTT {}: the bridge stopped with {} messages not delivered to the broker; they are dropped",
                    brokerUrl, left);
        }
        try {
            if (client.getState().isConnected()) {
                client.disconnect().get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.debug("Disconnect from {} failed: {}", brokerUrl, describe(e));
        }
        connected = false;
        LOG.info("MQTT link to {} closed ({} published, {} dropped)", brokerUrl, published.sum(), dropped.sum());
    }

    private static String describe(Throwable problem) {
        if (problem == null) {
            return "no reason given";
        }
        Throwable cause = problem.getCause() != null ? problem.getCause() : problem;
        return cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "");
    }
}
