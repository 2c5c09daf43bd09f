package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cluster.ClusterBatch;
import dev.skynetbridge.protocol.cluster.ClusterSubjects;
import dev.skynetbridge.server.ClusterPort;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.support.Backoff;
import dev.skynetbridge.support.RateLimitedWarning;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's link to the others of its cluster over NATS core pub/sub. Every message that enters the local hub
 * is published on its channel's subject ({@link ClusterSubjects}) with no echo back; the link subscribes only to the
 * channels local members have open (everything while one has {@code "*"} open) and hands what arrives to the hub.
 *
 * <p>NATS unreachable, at start or later: local delivery goes on, messages for the other nodes wait in a bounded
 * buffer ({@link ClusterSender}: then are dropped, counted, with a rate-limited WARN), the link connects again with
 * backoff, as often as it takes, and subscribes the new connection to its channels; {@link #isConnected()} is false
 * meanwhile (the health check's state).
 */
public final class ClusterLink implements ClusterPort, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    private final ClusterOptions options;
    private final SkynetHub hub;
    private final ClusterSubjects subjects;
    private final ClusterMetrics metrics = new ClusterMetrics();
    private final RateLimitedWarning natsWarning = new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);
    private final RateLimitedWarning receiveWarning = new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);

    private final ClusterSender sender;
    private final ClusterPeers peers;
    private volatile Connection connection;
    private volatile boolean closed;
    private Thread connector;
    private Options natsOptions;
    /** Connected once already: the next connection is a reconnect. Connection-event thread only. */
    private boolean wasConnected;

    private final Object subscriptionLock = new Object();
    private final Set<Channel> interest = new LinkedHashSet<>();
    private Dispatcher dispatcher;
    /** What the dispatchers of lost connections dropped; guarded by subscriptionLock. */
    private long receiveDroppedBefore;
    /** Used by the dispatcher's thread (the lost connection's may still be finishing: it is synchronized). */
    private final CopyFilter copies = new CopyFilter();

    public ClusterLink(ClusterOptions options, SkynetHub hub) {
        this.options = options;
        this.hub = hub;
        this.subjects = new ClusterSubjects(options.subjectPrefix());
        this.sender = new ClusterSender(options, subjects, metrics);
        this.peers = new ClusterPeers(options, hub, metrics, sender.instance(), this::connectedUrl,
                this::publishAnnouncement);
    }

    /** Attaches to the hub and connects in the background; returns at once even when NATS is unreachable. */
    public void start() {
        hub.attachCluster(this);
        Options.Builder builder = new Options.Builder()
                .servers(options.natsUrls().toArray(new String[0]))
                .connectionName("skynet-bridge " + options.nodeId())
                .noEcho()
                // Every connection, the first and each after a loss, is ours to make (connectUntilConnected): with
                // NATS's own reconnect, a connection that came back sometimes sent nothing more in tests here.
                .noReconnect()
                .connectionTimeout(Duration.ofSeconds(5))
                // Our own buffer holds messages while NATS is away (counted, in publish order); NATS's would hide them.
                .reconnectBufferSize(0)
                .maxMessagesInOutgoingQueue(ClusterSender.MAX_OUTGOING_MESSAGES)
                .discardMessagesWhenOutgoingQueueFull()
                .connectionListener(this::onConnectionEvent)
                .errorListener(new Errors());
        if (options.credentialsFile() != null) {
            builder.authHandler(Nats.credentials(options.credentialsFile().toString()));
        }
        LOG.info("Cluster: node {} joins over NATS {} (subjects {}.>)", options.nodeId(), options.redactedUrls(),
                subjects.prefix());
        natsOptions = builder.build();
        peers.start();
        startConnecting();
    }

    /** Starts a connect loop unless one runs. */
    private synchronized void startConnecting() {
        if (closed || (connector != null && connector.isAlive())) {
            return;
        }
        connector = new Thread(this::connectUntilConnected, "skynet-cluster-connect");
        connector.setDaemon(true);
        connector.start();
    }

    private void connectUntilConnected() {
        Backoff backoff = new Backoff(250, 5_000);
        while (!closed) {
            try {
                Connection connected = Nats.connect(natsOptions);
                if (closed) {
                    connected.close();
                }
                return; // the CONNECTED event has set everything up
            } catch (IOException e) {
                natsWarning.warn("Cluster: cannot reach NATS {} ({}); retrying, local clients are still served",
                        options.redactedUrls(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(backoff.nextDelayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public ClusterMetrics metrics() {
        return metrics;
    }

    public ClusterOptions options() {
        return options;
    }

    /** This node's announcements and the other nodes it hears of (the console's cluster view). */
    public ClusterPeers peers() {
        return peers;
    }

    /** One node announcement on its own subject; false while NATS is away. */
    private boolean publishAnnouncement(byte[] body) {
        Connection current = connection;
        if (current == null || current.getStatus() != Connection.Status.CONNECTED) {
            return false;
        }
        try {
            current.publish(subjects.nodes(), body);
            return true;
        } catch (IllegalStateException e) {
            return false; // NATS's queue is full or the connection just went: the next interval tries again
        }
    }

    /** Whether NATS is connected now. */
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.getStatus() == Connection.Status.CONNECTED;
    }

    /** The NATS server in use, or empty while disconnected. */
    public String connectedUrl() {
        Connection current = connection;
        String url = current == null ? null : current.getConnectedUrl();
        return url == null ? "" : ClusterOptions.redacted(url);
    }

    @Override
    public void forward(Delivery delivery) {
        sender.forward(delivery);
    }

    @Override
    public void interestStarted(Channel channel) {
        synchronized (subscriptionLock) {
            if (interest.add(channel) && dispatcher != null) {
                dispatcher.subscribe(subjectFor(channel));
            }
        }
    }

    @Override
    public void interestEnded(Channel channel) {
        synchronized (subscriptionLock) {
            if (interest.remove(channel) && dispatcher != null) {
                dispatcher.unsubscribe(subjectFor(channel));
            }
        }
    }

    /** The channels this node subscribes to in NATS now ({@code "*"}: everything). */
    public Set<Channel> interest() {
        synchronized (subscriptionLock) {
            return Set.copyOf(interest);
        }
    }

    private String subjectFor(Channel channel) {
        return channel.isWildcard() ? subjects.everything() : subjects.subjectOf(channel);
    }

    /**
     * A new connection (the first or one after a loss) subscribes to the interest and sends what waited; a lost one
     * is closed by NATS's client (no reconnect of its own) and a connect loop starts again.
     */
    private void onConnectionEvent(Connection current, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED -> {
                connection = current;
                subscribeAll(current);
                peers.connected();
                boolean again = wasConnected;
                if (again) {
                    metrics.reconnects.increment();
                }
                wasConnected = true;
                LOG.info("Cluster: node {} {} NATS {}; {} buffered messages go out now", options.nodeId(),
                        again ? "reconnected to" : "connected to", connectedUrl(), metrics.buffered());
                sender.connected(current);
            }
            case DISCONNECTED, CLOSED -> {
                if (current != connection) {
                    return; // a connection we already gave up
                }
                boolean wasSending = sender.lost();
                synchronized (subscriptionLock) {
                    if (dispatcher != null) {
                        receiveDroppedBefore += dispatcher.getDroppedCount();
                    }
                    dispatcher = null;
                }
                connection = null;
                if (!closed) {
                    if (wasSending) {
                        LOG.warn("Cluster: node {} lost NATS; local clients are still served, messages for the other"
                                 + " nodes wait (up to {} bytes) until it is back", options.nodeId(),
                                options.bufferBytes());
                    }
                    closeQuietly(current);
                    startConnecting();
                }
            }
            default -> LOG.debug("Cluster: NATS connection event {}", event);
        }
    }

    private static void closeQuietly(Connection lost) {
        // On NATS's callback thread: close in the background, it may wait for its own threads.
        Thread closer = new Thread(() -> {
            try {
                lost.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "skynet-cluster-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** Subscribes a new connection to every channel of the interest. */
    private void subscribeAll(Connection current) {
        synchronized (subscriptionLock) {
            dispatcher = current.createDispatcher(this::onMessage);
            dispatcher.subscribe(subjects.nodes(), message -> peers.received(message.getData()));
            for (Channel channel : interest) {
                dispatcher.subscribe(subjectFor(channel));
            }
        }
    }

    /** On the dispatcher's thread: a batch from another node goes to the hub, message by message, in order. */
    private void onMessage(Message message) {
        ClusterBatch batch;
        try {
            batch = ClusterBatch.decode(message.getData());
        } catch (ProtocolException e) {
            metrics.undecodable.increment();
            receiveWarning.warn("Cluster: ignored a message on NATS subject {} that is not from a gateway of this"
                                + " release ({}); keep other programs off the {}.> subjects", message.getSubject(),
                    e.getMessage(), subjects.prefix());
            return;
        }
        List<SkynetMessage> messages = batch.messages();
        int seen = copies.seenBefore(batch.node(), batch.instance(), batch.firstSequence(), messages.size());
        if (seen > 0) {
            metrics.duplicatesSkipped.add(seen);
        }
        for (int i = seen; i < messages.size(); i++) {
            hub.deliverFromCluster(messages.get(i), batch.node());
        }
        metrics.received.add(messages.size() - seen);
    }

    /** Messages NATS's client dropped on the way in because this node read too slowly. */
    public long receiveDropped() {
        synchronized (subscriptionLock) {
            return receiveDroppedBefore + (dispatcher == null ? 0 : dispatcher.getDroppedCount());
        }
    }

    @Override
    public void close() {
        closed = true;
        hub.attachCluster(ClusterPort.NONE);
        if (connector != null) {
            connector.interrupt();
        }
        sender.close(); // the open batch goes out (or into the buffer) while the connection can still take it
        peers.leave(); // the others drop this node at once
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long left = metrics.buffered();
        if (left > 0) {
            LOG.warn("Cluster: node {} stopped with {} messages for the other nodes still waiting for NATS; they are"
                     + " dropped", options.nodeId(), left);
        }
    }

    /** NATS's client reports through here: connection failures (rate-limited) and slow reading. */
    private final class Errors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            natsWarning.warn("Cluster: NATS error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            if (!closed && connection != null) { // before a connection, the connect loop says why
                natsWarning.warn("Cluster: NATS connection problem ({}); reconnecting, local clients are still"
                                 + " served", exp.toString());
            }
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            receiveWarning.warn("Cluster: this node reads the cluster's messages more slowly than they come; NATS's"
                                + " client dropped {} so far", consumer.getDroppedCount());
        }
    }
}
