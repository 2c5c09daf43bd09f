package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import dev.skynetbridge.support.Backoff;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one {@link MqttLink} is connected, and its reconnects: after a lost connection or a failed attempt the
 * next attempt waits a backoff (our own timer rather than the client's delay, so that closing cancels a pending
 * attempt). State changes are one log line each: connected, connected again, lost, unreachable, refused.
 *
 * <p>Threads: the client calls the listeners on its Netty event loop, which must never wait for the outbox's lock
 * (a caller holding it may itself be waiting inside the client for that event loop). So the listeners only note
 * the state and hand the rest ({@link Reactions}) to the scheduler's thread: one thread, so in order.
 */
final class MqttConnectionState implements MqttClientConnectedListener, MqttClientDisconnectedListener {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionState.class);

    /** What the link does on a state change; called on the scheduler's thread. */
    interface Reactions {
        /** Connected: subscribe again and send what waits. */
        void connected();

        /** Connected just as the link closed: disconnect. */
        void connectedWhileClosing();

        /** Lost or never made: take back the unconfirmed messages; returns how many. */
        int lost();

        /** Messages waiting to be sent, for the log line. */
        int waiting();
    }

    private final String brokerUrl;
    private final String clientId;
    private final int bufferSize;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Reactions reactions;
    private final LongAdder connects = new LongAdder();

    private volatile boolean running;
    private volatile boolean connected;
    private volatile boolean everConnected;
    private volatile boolean reportedUnreachable;
    private volatile String lastProblem;
    private volatile long disconnectedSinceNanos = System.nanoTime();
    /** Completed when the next reconnect attempt may start (by the scheduler after the backoff, or by stop). */
    private volatile CompletableFuture<Void> reconnectGate;

    MqttConnectionState(String brokerUrl, String clientId, MqttLinkOptions options, ScheduledExecutorService scheduler,
                        Reactions reactions) {
        this.brokerUrl = brokerUrl;
        this.clientId = clientId;
        this.bufferSize = options.bufferSize();
        this.scheduler = scheduler;
        this.backoff = new Backoff(options.reconnectInitialDelayMillis(), options.reconnectMaxDelayMillis());
        this.reactions = reactions;
    }

    void start() {
        running = true;
    }

    /** No more reconnects; a pending attempt is cancelled. The connection stays as it is until the link closes it. */
    void stop() {
        running = false;
        CompletableFuture<Void> gate = reconnectGate;
        if (gate != null) {
            gate.complete(null); // a pending reconnect sees running == false and is cancelled
        }
    }

    /** The link has disconnected after stop(). */
    void closed() {
        connected = false;
    }

    boolean isConnected() {
        return connected;
    }

    boolean isRunning() {
        return running;
    }

    /** Why the last connection or attempt ended; null while connected. */
    String lastProblem() {
        return lastProblem;
    }

    /** Successful connects since the link started. */
    long connectCount() {
        return connects.sum();
    }

    @Override
    public void onConnected(MqttClientConnectedContext context) {
        // Set here, in the client's order of events. Messages waiting in the outbox go out from the scheduler's
        // thread, after the previous connection's unconfirmed ones were put back (queued before, same thread).
        connected = true;
        scheduler.execute(this::afterConnected);
    }

    private void afterConnected() {
        if (!running) {
            reactions.connectedWhileClosing();
            return;
        }
        if (!connected) {
            return; // already lost again; afterDisconnected reports it
        }
        connects.increment();
        backoff.reset();
        long downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedSinceNanos);
        if (everConnected) {
            LOG.info("MQTT broker {} connected again after {} ms; {} messages waiting in the outbox are sent now",
                    brokerUrl, downMillis, reactions.waiting());
        } else {
            LOG.info("MQTT broker {} connected (client id {})", brokerUrl, clientId);
        }
        everConnected = true;
        reportedUnreachable = false;
        lastProblem = null;
        reactions.connected();
    }

    /** Called for a lost connection and for a failed connect attempt alike; schedules the next attempt. */
    @Override
    public void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasConnected = connected;
        connected = false; // the outbox stops handing over messages; what it still hands over fails and is put back
        lastProblem = HiveMqMessages.describe(context.getCause());
        if (wasConnected) {
            disconnectedSinceNanos = System.nanoTime();
        }
        long delay = backoff.nextDelayMillis();
        if (running) {
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
        int requeued = reactions.lost();
        if (!running) {
            return; // closing: no reconnect
        }
        if (wasConnected) {
            reportedUnreachable = true;
            LOG.warn("MQTT broker {} connection lost ({}); reconnecting, messages wait in the outbox (up to {}){}",
                    brokerUrl, lastProblem, bufferSize, requeued > 0 ? "; " + requeued
                    + " messages not confirmed before the drop are sent again after the reconnect (the broker may"
                    + " see some of them twice)" : "");
        } else if (!reportedUnreachable) {
            reportedUnreachable = true;
            if (refused) {
                LOG.warn("MQTT broker {} refused the connection ({}): check the bridge's username and password (or"
                         + " the broker's access rules); retrying in the background, messages to it wait in the"
                         + " outbox (up to {})", brokerUrl, lastProblem, bufferSize);
            } else {
                LOG.warn("MQTT broker {} is unreachable ({}); retrying in the background, messages to it wait in"
                         + " the outbox (up to {})", brokerUrl, lastProblem, bufferSize);
            }
        } else {
            LOG.debug("MQTT broker {} still unreachable ({}); next attempt in {} ms", brokerUrl, lastProblem, delay);
        }
    }
}
