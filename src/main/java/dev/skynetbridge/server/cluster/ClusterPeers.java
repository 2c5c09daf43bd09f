package dev.skynetbridge.server.cluster;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.cluster.NodeAnnouncement;
import dev.skynetbridge.server.HubMetrics;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.support.GatewayVersion;
import dev.skynetbridge.support.RateLimitedWarning;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's nodes as this one knows them: announces this node ({@link NodeAnnouncement}) on its own subject every
 * {@code announceIntervalMillis}, at once on every new NATS connection and when a new node appears (so it learns of
 * this one without waiting), and a last time, leaving, when the link closes; keeps the others' announcements in a
 * bounded {@link PeerTable}. Its only contact with the NATS connection is the {@code publish} function and
 * {@link #received(byte[])}, which {@link ClusterLink} calls for its subject. Health does not depend on it: a node on
 * its own is fine.
 */
public final class ClusterPeers {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPeers.class);

    /** The user's routes on this node and how many are started; set by the application once Camel runs. */
    public record RouteCount(long routes, long started) {
        static final RouteCount UNKNOWN = new RouteCount(-1, -1);
    }

    private final ClusterOptions options;
    private final SkynetHub hub;
    private final ClusterMetrics metrics;
    private final long instance;
    private final Supplier<String> natsServer;
    private final Predicate<byte[]> publish;
    private final Instant startedAt;
    private final String version = GatewayVersion.get();
    private final PeerTable table;
    private final LongAdder undecodable = new LongAdder();
    private final RateLimitedWarning undecodableWarning = new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);
    private final RateLimitedWarning duplicateWarning = new RateLimitedWarning(LOG, 60, TimeUnit.SECONDS);
    private final RateLimitedWarning fullWarning = new RateLimitedWarning(LOG, 60, TimeUnit.SECONDS);
    private final RateLimitedWarning missingWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    private final AtomicBoolean announcePending = new AtomicBoolean();
    private volatile Supplier<RouteCount> routes = () -> RouteCount.UNKNOWN;
    private volatile boolean leaving;
    private ScheduledExecutorService timer;

    /**
     * @param instance the random number of this run (the one the message batches carry)
     * @param natsServer the NATS server in use, empty while disconnected
     * @param publish sends one announcement on {@link dev.skynetbridge.protocol.cluster.ClusterSubjects#nodes()};
     *     false when it could not (NATS away): the next interval tries again
     */
    ClusterPeers(ClusterOptions options, SkynetHub hub, ClusterMetrics metrics, long instance,
            Supplier<String> natsServer, Predicate<byte[]> publish) {
        this.options = options;
        this.hub = hub;
        this.metrics = metrics;
        this.instance = instance;
        this.natsServer = natsServer;
        this.publish = publish;
        this.startedAt = Clock.systemUTC().instant();
        this.table = new PeerTable(options.nodeId(), instance, options.announceIntervalMillis(), System::nanoTime,
                Clock.systemUTC());
    }

    /** Starts announcing (each interval; nothing goes out while NATS is away). */
    synchronized void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "skynet-cluster-announce");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer = executor;
        long interval = options.announceIntervalMillis();
        timer.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** A new NATS connection: the others learn of this node (again) at once. */
    void connected() {
        announceSoon();
    }

    /** The announcement this node would send now. */
    public NodeAnnouncement self() {
        HubMetrics hubMetrics = hub.metrics();
        RouteCount count = routeCount();
        return new NodeAnnouncement(options.nodeId(), instance, version, startedAt, options.announceIntervalMillis(),
                false, hubMetrics.v1ConnectionsOpen(), hubMetrics.v2ConnectionsOpen(), hub.channelCount(),
                metrics.sent(), metrics.received(), metrics.dropped(), count.routes(), count.started(),
                natsServer.get());
    }

    private RouteCount routeCount() {
        try {
            return routes.get();
        } catch (RuntimeException e) {
            return RouteCount.UNKNOWN; // Camel stopping under the leaving announcement: not worth failing it
        }
    }

    /** Where this node's route count comes from (the application's Camel routes). */
    public void routes(Supplier<RouteCount> source) {
        this.routes = source;
    }

    /** The other nodes' runs that are shown, ordered by node id. */
    public List<ClusterPeer> peers() {
        return table.peers();
    }

    public long count(ClusterPeer.State state) {
        return table.count(state);
    }

    /** Node ids two running gateways use now (this node's own included). */
    public List<String> duplicateNodes() {
        return table.duplicateNodes();
    }

    /** Announcements that could not be read (another program on the subject, a broken node): ignored. */
    public long undecodable() {
        return undecodable.sum();
    }

    /** Announcements of nodes not tracked because {@value PeerTable#MAX_ENTRIES} runs were already. */
    public long refused() {
        return table.refused();
    }

    /** Times a second running gateway with a node id already in use was seen. */
    public long conflicts() {
        return table.conflicts();
    }

    /** Runs that said they stop and were dropped at once. */
    public long left() {
        return table.left();
    }

    /** An announcement from NATS (on the NATS connection's event loop). */
    void received(byte[] body) {
        NodeAnnouncement announcement;
        try {
            announcement = NodeAnnouncement.decode(body);
        } catch (ProtocolException e) {
            undecodable.increment();
            undecodableWarning.warn("Cluster: ignored a message on the node announcement subject that is not one"
                    + " ({}); {} undecodable so far", e.getMessage(), undecodable.sum());
            return;
        }
        switch (table.accept(announcement)) {
            case JOINED -> {
                LOG.info("Cluster: node {} joined ({} clients, NATS {})", announcement.node(),
                        announcement.clientsV1() + announcement.clientsV2(), announcement.nats());
                announceSoon(); // the newcomer learns of this node now, not an interval later
            }
            case RESTARTED -> {
                LOG.info("Cluster: node {} runs again (a new run after a stop without leaving)", announcement.node());
                announceSoon();
            }
            case LEFT -> LOG.info("Cluster: node {} left", announcement.node());
            case CONFLICT -> warnDuplicate(announcement.node());
            case REFUSED -> fullWarning.warn("Cluster: node {} is not listed: this node tracks at most {} runs of"
                    + " nodes; {} announcements of nodes not listed so far", announcement.node(), PeerTable.MAX_ENTRIES,
                    table.refused());
            default -> {
                // an update of a node already listed, or this node's own announcement
            }
        }
    }

    private void warnDuplicate(String node) {
        duplicateWarning.warn("Cluster: two running gateways announce the node id {}: give each gateway its own"
                + " skynet.cluster.node-id (logs, metrics and the console cannot tell them apart)", node);
    }

    /** On the timer: forget the long silent, report the newly missing and duplicates, announce this node. */
    private void tick() {
        try {
            for (String removed : table.sweep()) {
                LOG.info("Cluster: node {} removed from the list: silent for {} of its announce intervals", removed,
                        PeerTable.REMOVED_AFTER_INTERVALS);
            }
            for (String missing : table.newlyMissing()) {
                missingWarning.warn("Cluster: node {} is missing: no announcement for {} of its intervals (stopped"
                        + " without leaving, or cut off from NATS)", missing, PeerTable.MISSING_AFTER_INTERVALS);
            }
            for (String duplicate : table.duplicateNodes()) {
                warnDuplicate(duplicate);
            }
            announce();
        } catch (RuntimeException e) {
            LOG.warn("Cluster: the node announcement failed: {}", e.toString());
        }
    }

    /** Announces on the timer's thread soon; several requests before it runs make one announcement. */
    private void announceSoon() {
        ScheduledExecutorService current;
        synchronized (this) {
            current = timer;
        }
        if (current != null && !leaving && announcePending.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    announcePending.set(false);
                    announce();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                announcePending.set(false);
            }
        }
    }

    private void announce() {
        if (!leaving) {
            publish.test(self().encode());
        }
    }

    /** The link closes: the last announcement says so (the others drop this node at once), then nothing more. */
    void leave() {
        ScheduledExecutorService current;
        synchronized (this) {
            leaving = true;
            current = timer;
            timer = null;
        }
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(2, TimeUnit.SECONDS); // an announcement under way goes before the leaving one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publish.test(self().asLeaving().encode());
    }
}
