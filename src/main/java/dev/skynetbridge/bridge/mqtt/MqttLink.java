package dev.skynetbridge.bridge.mqtt;

import dev.skynetbridge.client.Backoff;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge's connection to one MQTT broker, shared by the bridge's consumer and producer. Sharing
 * it is what makes MQTT 5 No Local work as a loop guard: the broker does not send the bridge's own
 * publishes back to the same connection.
 *
 * <ul>
 *   <li>Connects in the background and keeps reconnecting with backoff, so start-up never fails
 *       because the broker is down; every (re)connect subscribes again (clean start).
 *   <li>Publishes go through a bounded outbox drained in order by one thread; while the broker is
 *       unreachable they wait there. When the outbox is full the oldest message is dropped, counted
 *       and logged (newer state is worth more than older). The sender does not wait for each message:
 *       up to {@link #MAX_IN_FLIGHT} (or the broker's Receive Maximum less one) are handed to Paho and
 *       not yet confirmed, held besides the outbox. A message counts as published once the broker
 *       acknowledged it (QoS 1/2) or it was written (QoS 0). When the connection drops, the unconfirmed
 *       ones go back to the head of the outbox in their order and are sent again after the reconnect:
 *       delivery is at least once, the broker may see a message twice.
 *   <li>State changes (connected, unreachable, lost) are one log line each; {@link #status()} reports them.
 * </ul>
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final long PUBLISH_TIMEOUT_MS = 10_000;
    private static final long STOP_DRAIN_MS = 2_000;
    /**
     * Most messages handed to Paho and not yet confirmed (written for QoS 0, acknowledged for QoS 1/2); lowered
     * to the broker's Receive Maximum, which Paho enforces ("Too many publishes in progress").
     */
    static final int MAX_IN_FLIGHT = 64;

    /** A message waiting in the outbox. */
    public record Outgoing(String topic, byte[] payload, int qos, boolean retain, String contentType,
                           Map<String, String> userProperties) {
    }

    /** Receives a message: its topic and the Paho message (payload and properties). */
    public interface Listener extends BiConsumer<String, MqttMessage> {
    }

    /** What {@link #status()} reports. */
    public record Status(String brokerUrl, String clientId, boolean connected, int subscriptionsActive, int buffered,
                         int bufferSize, long published, long dropped, long connects, String lastProblem) {
    }

    private record Subscription(String filter, int qos, Listener listener) {
    }

    private final String brokerUrl;
    private final String clientId;
    private final MqttLinkOptions options;
    private final ScheduledExecutorService scheduler;
    private final LinkedBlockingDeque<Outgoing> outbox;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder connects = new LongAdder();
    /** Subscriptions the broker confirmed since the last connect. */
    private final java.util.concurrent.atomic.AtomicInteger subscriptionsActive =
            new java.util.concurrent.atomic.AtomicInteger();
    private final Object stateLock = new Object();
    private final Backoff backoff;
    /** Guards {@link #inFlight} and the settled flags; the sender waits on it for room in the window. */
    private final Object windowLock = new Object();
    /** Messages handed to Paho, oldest first, until confirmed or put back; at most {@link #window}. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private volatile int window = 1;
    private boolean senderWaitingForWindow;
    /** Counts connection losses, so the sender notices one even if the reconnect came first. */
    private volatile long connectionLosses;

    private MqttAsyncClient client;
    private Thread sender;
    private volatile boolean running;
    private volatile boolean connected;
    private volatile boolean connecting;
    private volatile boolean everConnected;
    private volatile boolean reportedUnreachable;
    private volatile String lastProblem;
    private volatile long disconnectedSinceNanos = System.nanoTime();

    public MqttLink(String brokerUrl, String clientId, MqttLinkOptions options, ScheduledExecutorService scheduler) {
        this.brokerUrl = Objects.requireNonNull(brokerUrl, "brokerUrl");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.outbox = new LinkedBlockingDeque<>(options.bufferSize());
        this.backoff = new Backoff(options.reconnectInitialDelayMillis(), options.reconnectMaxDelayMillis());
    }

    /** Starts connecting in the background; returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MQTT broker URL '" + brokerUrl + "' is not usable: " + e.getMessage()
                    + " (expected tcp://host:port, ssl://host:port, ws:// or wss://)", e);
        }
        client.setCallback(new Callback());
        running = true;
        sender = new Thread(this::sendLoop, "skynet-mqtt-sender-" + clientId);
        sender.setDaemon(true);
        sender.start();
        connect();
    }

    /** Adds a subscription (made now if connected, and again after every reconnect). */
    public Runnable subscribe(String filter, int qos, Listener listener) {
        MqttTopicValidator.validate(filter, true, true);
        Subscription subscription = new Subscription(filter, qos, listener);
        subscriptions.add(subscription);
        if (connected) {
            sendSubscribe(subscription);
        }
        return () -> {
            subscriptions.remove(subscription);
            MqttAsyncClient current = client;
            if (connected && current != null && subscriptions.stream().noneMatch(s -> s.filter.equals(filter))) {
                try {
                    current.unsubscribe(filter);
                } catch (MqttException e) {
                    LOG.debug("Unsubscribe {} from {} failed: {}", filter, brokerUrl, e.toString());
                }
            }
        };
    }

    /**
     * Queues a message for the broker; never blocks. When the outbox is full the oldest waiting
     * message is dropped (counted and logged) to make room.
     */
    public void publish(Outgoing message) {
        while (!outbox.offerLast(message)) {
            if (outbox.pollFirst() != null) {
                dropped.increment();
                long total = dropped.sum();
                if (total == 1 || total % 1000 == 0) {
                    LOG.warn("MQTT {}: the outbox is full ({} messages waiting for the broker{}); the oldest was"
                             + " dropped, {} dropped so far. Raise bufferSize or fix the broker connection.",
                            brokerUrl, options.bufferSize(), connected ? "" : ", which is unreachable", total);
                }
            }
        }
    }

    private void connect() {
        if (!running || connecting || connected) {
            return;
        }
        connecting = true;
        MqttConnectionOptions connectOptions = new MqttConnectionOptions();
        connectOptions.setCleanStart(true);
        connectOptions.setAutomaticReconnect(false); // reconnects are ours: the first connect needs them too
        connectOptions.setConnectionTimeout(options.connectTimeoutSeconds());
        connectOptions.setKeepAliveInterval(options.keepAliveSeconds());
        if (options.username() != null && !options.username().isEmpty()) {
            connectOptions.setUserName(options.username());
        }
        if (options.password() != null && !options.password().isEmpty()) {
            connectOptions.setPassword(options.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            client.connect(connectOptions, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    onConnected(token);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable problem) {
                    connecting = false;
                    onUnreachable(problem);
                }
            });
        } catch (MqttException e) {
            connecting = false;
            onUnreachable(e);
        }
    }

    private void onConnected(IMqttToken token) {
        connects.increment();
        // The broker's Receive Maximum bounds unconfirmed publishes; one below it, as Paho's own count is
        // released a moment after the confirmation reaches us.
        MqttProperties connack = token.getResponseProperties();
        Integer receiveMaximum = connack != null ? connack.getReceiveMaximum() : null;
        int brokerLimit = receiveMaximum != null && receiveMaximum > 0 ? receiveMaximum : 65_535;
        window = Math.max(1, Math.min(MAX_IN_FLIGHT, brokerLimit > 1 ? brokerLimit - 1 : 1));
        backoff.reset();
        long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedSinceNanos);
        if (everConnected) {
            LOG.info("MQTT broker {} connected again after {} ms; {} messages waiting in the outbox are sent now",
                    brokerUrl, downMillis, outbox.size());
        } else {
            LOG.info("MQTT broker {} connected (client id {})", brokerUrl, clientId);
        }
        everConnected = true;
        reportedUnreachable = false;
        lastProblem = null;
        subscriptionsActive.set(0);
        for (Subscription subscription : subscriptions) {
            sendSubscribe(subscription);
        }
        synchronized (stateLock) {
            connected = true;
            connecting = false;
            stateLock.notifyAll();
        }
    }

    private void onUnreachable(Throwable problem) {
        lastProblem = describe(problem);
        if (!running) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        if (!reportedUnreachable) {
            reportedUnreachable = true;
            LOG.warn("MQTT broker {} is unreachable ({}); retrying in the background, messages to it wait in the"
                     + " outbox (up to {})", brokerUrl, lastProblem, options.bufferSize());
        } else {
            LOG.debug("MQTT broker {} still unreachable ({}); next attempt in {} ms", brokerUrl, lastProblem, delay);
        }
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void onConnectionLost(Throwable problem) {
        synchronized (stateLock) {
            connectionLosses++;
            connected = false;
            stateLock.notifyAll();
        }
        synchronized (windowLock) {
            windowLock.notifyAll(); // a sender waiting for room in the window re-checks the connection
        }
        subscriptionsActive.set(0);
        disconnectedSinceNanos = System.nanoTime();
        lastProblem = describe(problem);
        if (!running) {
            return;
        }
        reportedUnreachable = true;
        LOG.warn("MQTT broker {} connection lost ({}); reconnecting, messages wait in the outbox (up to {})",
                brokerUrl, lastProblem, options.bufferSize());
        scheduler.schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendSubscribe(Subscription subscription) {
        MqttSubscription mqttSubscription = new MqttSubscription(subscription.filter, subscription.qos);
        // No Local: the broker never sends this connection its own publishes (the MQTT side of the loop guard).
        mqttSubscription.setNoLocal(true);
        try {
            client.subscribe(new MqttSubscription[] {mqttSubscription}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        LOG.error("MQTT broker {} refused the subscription {} (reason code 0x{}); nothing from MQTT"
                                  + " reaches Skynet through it", brokerUrl, subscription.filter,
                                Integer.toHexString(codes[0]));
                    } else {
                        subscriptionsActive.incrementAndGet();
                        LOG.debug("Subscribed to {} on {}", subscription.filter, brokerUrl);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable problem) {
                    LOG.warn("Subscribing to {} on {} failed ({}); it is retried on the next reconnect",
                            subscription.filter, brokerUrl, describe(problem));
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("Subscribing to {} on {} failed ({}); it is retried on the next reconnect", subscription.filter,
                    brokerUrl, describe(e));
        }
    }

    /**
     * Hands messages to Paho in outbox order, up to {@link #window} not yet confirmed at a time (no wait per
     * message: that wait cost a round of thread wake-ups per message). Only this thread takes messages from
     * the outbox or puts them back, so order holds: after a connection loss the unconfirmed ones return to
     * the head of the outbox, oldest first, before anything else is taken.
     */
    private void sendLoop() {
        long lossesHandled = 0;
        while (running || hasUndelivered() && connected && draining()) {
            try {
                long losses = connectionLosses;
                if (losses != lossesHandled) {
                    requeueInFlight();
                    lossesHandled = losses;
                }
                // Wait for the broker before taking a message: while it is down the outbox alone holds them.
                if (!awaitConnected() || !awaitWindow()) {
                    continue;
                }
                Outgoing next = outbox.pollFirst(200, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                InFlight entry = new InFlight(next);
                synchronized (windowLock) {
                    // The connection may have dropped while we waited: put it back, so that during an outage
                    // the outbox (and its drop policy) holds every waiting message.
                    if (!connected || connectionLosses != lossesHandled) {
                        putBack(next);
                        continue;
                    }
                    inFlight.addLast(entry);
                }
                try {
                    client.publish(next.topic(), toPaho(next), null, entry);
                } catch (MqttException | RuntimeException e) {
                    // Paho did not take it: it goes back to the head (it is newer than everything in flight).
                    synchronized (windowLock) {
                        if (inFlight.peekLast() == entry && !entry.settled) {
                            inFlight.pollLast();
                            entry.settled = true;
                            putBack(next);
                        }
                    }
                    if (e instanceof MqttException mqtt
                        && mqtt.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        // Paho's own count lags ours by a moment: wait for a confirmation, then try again.
                        synchronized (windowLock) {
                            windowLock.wait(5);
                        }
                    } else {
                        // Not connected, or the connection is dropping: it is sent again once connected.
                        LOG.debug("Publish to {} on {} not accepted ({}); it is sent again once connected",
                                next.topic(), brokerUrl, describe(e));
                        awaitDisconnectNoticed();
                    }
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        int left;
        synchronized (windowLock) {
            left = outbox.size() + inFlight.size();
            inFlight.forEach(entry -> entry.settled = true);
            inFlight.clear();
        }
        if (left > 0) {
            dropped.add(left);
            LOG.warn("MQTT {}: the bridge stopped with {} messages not delivered to the broker; they are dropped",
                    brokerUrl, left);
        }
    }

    /** A message handed to Paho and not yet confirmed; its own completion listener. */
    private final class InFlight implements MqttActionListener {
        final Outgoing message;
        /** Confirmed, or taken back after a connection loss; guarded by windowLock. */
        boolean settled;

        InFlight(Outgoing message) {
            this.message = message;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            synchronized (windowLock) {
                if (settled) {
                    return; // already put back after a connection loss: it will be sent again (at least once)
                }
                settled = true;
                published.increment();
                // Confirmations come in order, but drop every settled entry at the head in case one did not.
                while (!inFlight.isEmpty() && inFlight.peekFirst().settled) {
                    inFlight.pollFirst();
                }
                if (senderWaitingForWindow) {
                    windowLock.notifyAll();
                }
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable problem) {
            // Only a lost connection fails a publish; the sender then puts every unconfirmed message back.
            LOG.debug("Publish to {} on {} failed ({}); it is sent again after the reconnect", message.topic(),
                    brokerUrl, describe(problem));
        }
    }

    private boolean hasUndelivered() {
        synchronized (windowLock) {
            return !outbox.isEmpty() || !inFlight.isEmpty();
        }
    }

    /** Waits until fewer than {@link #window} messages are unconfirmed; false if the connection dropped meanwhile. */
    private boolean awaitWindow() throws InterruptedException {
        synchronized (windowLock) {
            while (inFlight.size() >= window && connected && (running || draining())) {
                senderWaitingForWindow = true;
                try {
                    windowLock.wait(200);
                } finally {
                    senderWaitingForWindow = false;
                }
            }
            return inFlight.size() < window && connected;
        }
    }

    /** After a connection loss: every unconfirmed message back to the head of the outbox, in order. */
    private void requeueInFlight() {
        synchronized (windowLock) {
            if (inFlight.isEmpty()) {
                return;
            }
            int count = 0;
            for (java.util.Iterator<InFlight> it = inFlight.descendingIterator(); it.hasNext(); ) {
                InFlight entry = it.next();
                if (!entry.settled) {
                    entry.settled = true;
                    putBack(entry.message);
                    count++;
                }
            }
            inFlight.clear();
            if (count > 0) {
                LOG.info("MQTT {}: {} messages not confirmed before the connection dropped are sent again after"
                         + " the reconnect (the broker may see some of them twice)", brokerUrl, count);
            }
        }
    }

    /** Puts a message back at the head of the outbox; if it is full, this message is the oldest and is dropped. */
    private void putBack(Outgoing message) {
        if (!outbox.offerFirst(message)) {
            dropped.increment();
            LOG.warn("MQTT {}: the outbox is full; a message sent before the connection dropped was dropped, {}"
                     + " dropped so far", brokerUrl, dropped.sum());
        }
    }

    private volatile long drainDeadlineNanos;

    private boolean draining() {
        return System.nanoTime() < drainDeadlineNanos;
    }

    private boolean awaitConnected() throws InterruptedException {
        synchronized (stateLock) {
            if (!connected && running) {
                // wait() can wake without a notify; the loop re-checks
                stateLock.wait(500);
            }
            return connected;
        }
    }

    /** After a failed publish, give Paho a moment to report the loss rather than spinning on a dead connection. */
    private void awaitDisconnectNoticed() {
        synchronized (stateLock) {
            if (connected && running) {
                try {
                    stateLock.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static MqttMessage toPaho(Outgoing outgoing) {
        MqttMessage message = new MqttMessage(outgoing.payload());
        message.setQos(outgoing.qos());
        message.setRetained(outgoing.retain());
        MqttProperties properties = new MqttProperties();
        if (outgoing.contentType() != null) {
            properties.setContentType(outgoing.contentType());
        }
        List<UserProperty> user = new ArrayList<>(outgoing.userProperties().size());
        outgoing.userProperties().forEach((key, value) -> user.add(new UserProperty(key, value)));
        properties.setUserProperties(user);
        message.setProperties(properties);
        return message;
    }

    public Status status() {
        return new Status(brokerUrl, clientId, connected, subscriptionsActive.get(), bufferedCount(),
                options.bufferSize(), published.sum(),
                dropped.sum(), connects.sum(), lastProblem);
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
        synchronized (windowLock) {
            return outbox.size() + inFlight.size();
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
        drainDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MS);
        running = false;
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
        try {
            sender.join(STOP_DRAIN_MS + PUBLISH_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            LOG.debug("Disconnect from {} failed: {}", brokerUrl, e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing the client for {} failed: {}", brokerUrl, e.toString());
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

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            onConnectionLost(response.getException() != null ? response.getException()
                    : new IllegalStateException("broker disconnected: " + response.getReasonString()));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.debug("MQTT error on {}: {}", brokerUrl, exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Subscription subscription : subscriptions) {
                if (MqttTopicValidator.isMatched(subscription.filter, topic)) {
                    try {
                        subscription.listener.accept(topic, message);
                    } catch (RuntimeException e) {
                        // A failing route must not break the connection for every other message.
                        LOG.warn("Handling a message from {} topic {} failed: {}", brokerUrl, topic, e.toString(), e);
                    }
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
