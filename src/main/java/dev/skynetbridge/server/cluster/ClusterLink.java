package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cluster.ClusterBatch;
import dev.skynetbridge.protocol.cluster.ClusterSubjects;
import dev.skynetbridge.server.ClusterPort;
import dev.skynetbridge.server.Delivery;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.cluster.nats.NatsConnection;
import dev.skynetbridge.server.cluster.nats.NatsConnector;
import dev.skynetbridge.server.cluster.nats.NatsEndpoint;
import dev.skynetbridge.server.cluster.nats.NatsErrors;
import dev.skynetbridge.server.cluster.nats.NatsLogin;
import dev.skynetbridge.server.cluster.nats.NatsWrites;
import dev.skynetbridge.support.RateLimitedWarning;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
    /** The version a CONNECT names. */
    private static final String VERSION = "0.1";

    private final ClusterSender sender;
    private final Vertx vertx;
    /** The Vert.x this link made for itself (none given): closed with it. */
    private final boolean ownVertx;
    private final long pingIntervalMillis;
    /** The event loop context for the NATS connection, or null: one of the Vert.x's own. */
    private final Context eventLoop;
    private NatsConnector connector;
    private final ClusterPeers peers;
    private volatile boolean closed;

    private final Object subscriptionLock = new Object();
    private final Set<Channel> interest = new LinkedHashSet<>();
    /** The open connection, subscribed to the interest; guarded by subscriptionLock. */
    private NatsConnection subscribed;
    /** On the connection's event loop only (synchronized anyway: it is cheap). */
    private final CopyFilter copies = new CopyFilter();

    /** A link on a Vert.x of its own (tests, tools); the gateway gives its own, see the constructor below. */
    public ClusterLink(ClusterOptions options, SkynetHub hub) {
        this(options, hub, null, null, NatsConnector.DEFAULT_PING_INTERVAL_MILLIS);
    }

    /**
     * A link whose NATS connection runs on {@code eventLoop}, a context of {@code vertx}: the Skynet server's
     * ({@code SkynetServer.context()}), so a message goes from a client's socket to NATS, and from NATS to the
     * clients' sockets, in one turn of one event loop. Null: an event loop of its own.
     */
    public ClusterLink(ClusterOptions options, SkynetHub hub, Vertx vertx, Context eventLoop) {
        this(options, hub, vertx, eventLoop, NatsConnector.DEFAULT_PING_INTERVAL_MILLIS);
    }

    /** @param pingIntervalMillis how often to ping NATS (two unanswered: the connection is lost) */
    ClusterLink(ClusterOptions options, SkynetHub hub, Vertx vertx, Context eventLoop, long pingIntervalMillis) {
        this.options = options;
        this.hub = hub;
        this.subjects = new ClusterSubjects(options.subjectPrefix());
        this.sender = new ClusterSender(options, subjects, metrics);
        this.ownVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.pingIntervalMillis = pingIntervalMillis;
        this.eventLoop = eventLoop;
        this.peers = new ClusterPeers(options, hub, metrics, sender.instance(), this::connectedUrl,
                this::publishAnnouncement);
    }

    /** Attaches to the hub and connects in the background; returns at once even when NATS is unreachable. */
    public void start() {
        hub.attachCluster(this);
        List<NatsEndpoint> endpoints = options.endpoints();
        NatsLogin login = new NatsLogin("skynet-bridge " + options.nodeId(), VERSION, options.credentialsFile());
        connector = new NatsConnector(vertx, eventLoop, endpoints, login, options.tlsCaFile(), pingIntervalMillis,
                new Events());
        LOG.info("Cluster: node {} joins over NATS {} (subjects {}.>)", options.nodeId(), options.redactedUrls(),
                subjects.prefix());
        peers.start();
        connector.start();
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

    /** One node announcement on its own subject; false while NATS is away or will not take it now. */
    private boolean publishAnnouncement(byte[] body) {
        NatsConnection current = connector == null ? null : connector.connection();
        return current != null && current.publish(subjects.nodes(), body) == NatsWrites.Result.WRITTEN;
    }

    /** Whether NATS is connected now. */
    public boolean isConnected() {
        return connector != null && connector.connection() != null;
    }

    /** The NATS server in use (no credentials), or empty while disconnected. */
    public String connectedUrl() {
        NatsConnection current = connector == null ? null : connector.connection();
        return current == null ? "" : current.endpoint().toString();
    }

    @Override
    public void forward(Delivery delivery) {
        sender.forward(delivery);
    }

    @Override
    public void interestStarted(Channel channel) {
        synchronized (subscriptionLock) {
            if (interest.add(channel) && subscribed != null) {
                subscribed.subscribe(subjectFor(channel));
            }
        }
    }

    @Override
    public void interestEnded(Channel channel) {
        synchronized (subscriptionLock) {
            if (interest.remove(channel) && subscribed != null) {
                subscribed.unsubscribe(subjectFor(channel));
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

    /** Subscribes a new connection to every channel of the interest. */
    private void subscribeAll(NatsConnection current) {
        synchronized (subscriptionLock) {
            subscribed = current;
            current.subscribe(subjects.nodes());
            for (Channel channel : interest) {
                current.subscribe(subjectFor(channel));
            }
        }
    }

    /** On the connection's event loop: a batch from another node goes to the hub, message by message, in order. */
    private void onMessage(String subject, byte[] payload) {
        ClusterBatch batch;
        try {
            batch = ClusterBatch.decode(payload);
        } catch (ProtocolException e) {
            metrics.undecodable.increment();
            receiveWarning.warn("Cluster: ignored a message on NATS subject {} that is not from a gateway of this"
                                + " release ({}); keep other programs off the {}.> subjects", subject,
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

    /**
     * Messages dropped on the way in by this side: none, since a message read is handed to the hub at once on the
     * connection's event loop (no queue between). A node too slow to read makes NATS drop for it instead: that shows
     * as {@link ClusterMetrics#slowConsumerReports()} and a WARN.
     */
    public long receiveDropped() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        hub.attachCluster(ClusterPort.NONE);
        sender.close(); // the open batch goes out (or into the buffer) while the connection can still take it
        peers.leave(); // the others drop this node at once
        if (connector != null) {
            await(connector.close().toCompletionStage().toCompletableFuture());
        }
        if (ownVertx) {
            await(vertx.close().toCompletionStage().toCompletableFuture());
        }
        long left = metrics.buffered();
        if (left > 0) {
            LOG.warn("Cluster: node {} stopped with {} messages for the other nodes still waiting for NATS; they are"
                     + " dropped", options.nodeId(), left);
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<?> closing) {
        try {
            closing.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("Cluster: closing the NATS connection: {}", e.toString());
        }
    }

    /** The connection's events, on its event loop. */
    private final class Events implements NatsConnector.Listener {
        @Override
        public void connected(NatsConnection connection, boolean again) {
            subscribeAll(connection);
            peers.connected();
            if (again) {
                metrics.reconnects.increment();
            }
            LOG.info("Cluster: node {} {} NATS {}; {} buffered messages go out now", options.nodeId(),
                    again ? "reconnected to" : "connected to", connection.endpoint(), metrics.buffered());
            sender.connected(connection);
        }

        @Override
        public void attemptFailed(NatsEndpoint endpoint, String why, boolean refused) {
            if (refused) {
                natsWarning.warn("Cluster: NATS {} refused node {}: {}; retrying, local clients are still served",
                        endpoint, options.nodeId(), why);
            } else {
                natsWarning.warn("Cluster: cannot reach NATS {} ({}); retrying, local clients are still served",
                        endpoint, why);
            }
        }

        @Override
        public void lost(NatsConnection connection, String why) {
            boolean wasSending = sender.lost();
            long lostWithConnection = connection.messagesLostWithConnection();
            if (lostWithConnection > 0) {
                metrics.dropped.add(lostWithConnection);
                LOG.warn("Cluster: node {} lost {} messages for the other nodes with the NATS connection: they waited"
                         + " to be written to it (counted in cluster.dropped)", options.nodeId(), lostWithConnection);
            }
            synchronized (subscriptionLock) {
                subscribed = null;
            }
            if (!closed && wasSending) {
                LOG.warn("Cluster: node {} lost NATS {} ({}); local clients are still served, messages for the other"
                         + " nodes wait (up to {} bytes) until it is back", options.nodeId(), connection.endpoint(),
                        why, options.bufferBytes());
            }
        }

        @Override
        public void message(String subject, byte[] payload) {
            if (subject.equals(subjects.nodes())) {
                peers.received(payload);
            } else {
                onMessage(subject, payload);
            }
        }

        @Override
        public void serverError(String text) {
            if (NatsErrors.slowConsumer(text)) {
                metrics.slowConsumerReports.increment();
                receiveWarning.warn("Cluster: NATS says node {} reads the cluster's messages more slowly than they"
                                    + " come ('{}'), and drops some for it; {} such reports so far", options.nodeId(),
                        text, metrics.slowConsumerReports());
            } else {
                natsWarning.warn("Cluster: NATS error for node {}: '{}'{}", options.nodeId(), text,
                        NatsErrors.hint(text));
            }
        }
    }
}
