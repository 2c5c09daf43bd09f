package dev.skynetbridge.camel;

import dev.skynetbridge.client.SkynetClientPool;
import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.SkynetHub;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code skynet:} component. Endpoints without a {@code server} option talk to the embedded
 * server's hub in-process; endpoints with one are clients of that server, one shared connection
 * per address.
 */
@Component("skynet")
public class SkynetComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetComponent.class);

    @Metadata(label = "advanced", autowired = true,
              description = "The hub of the embedded Skynet server that endpoints without a server option use."
                            + " When none is bound, the component keeps a hub of its own (in-process only).")
    private SkynetHub hub;

    @Metadata(label = "advanced", autowired = true,
              description = "The Vert.x instance for client connections. When none is bound, one is created.")
    private Vertx vertx;

    private boolean ownsVertx;
    private SkynetClientPool clients;
    private final Map<String, HubParticipant> bridges = new java.util.HashMap<>();
    /** Messages every consumer of this component dropped because its route's queue was full (or at its stop). */
    private final java.util.concurrent.atomic.LongAdder routeQueueDrops = new java.util.concurrent.atomic.LongAdder();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SkynetEndpoint endpoint = new SkynetEndpoint(uri, this, ChannelSyntax.parse(remaining));
        WholeNumberOptions.check("skynet:" + remaining, getEndpointPropertyConfigurer(), parameters);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        SkynetTypeConverters.register(getCamelContext().getTypeConverterRegistry());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        org.apache.camel.health.HealthCheckRegistry health =
                org.apache.camel.health.HealthCheckRegistry.get(getCamelContext());
        if (health != null && health.getCheck(SkynetHealthCheck.ID).isEmpty()) {
            health.register(new SkynetHealthCheck(this));
        }
        if (hub == null) {
            hub = getCamelContext().getRegistry().findSingleByType(SkynetHub.class);
        }
        if (hub == null) {
            hub = new SkynetHub(ServerOptions.DEFAULT_V1_LOG_SIZE);
            LOG.info("No embedded Skynet server is bound: skynet: endpoints without a server option share an"
                     + " in-process hub");
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (clients != null) {
            clients.closeAll();
            clients = null;
        }
        if (ownsVertx && vertx != null) {
            vertx.close();
            vertx = null;
            ownsVertx = false;
        }
        super.doStop();
    }

    /** The remote servers in use now (for the health check). */
    synchronized java.util.List<dev.skynetbridge.client.SkynetClient> activeClients() {
        return clients == null ? java.util.List.of() : clients.clients();
    }

    /** Created on first use, so a context with only in-process endpoints starts no Vert.x threads. */
    synchronized SkynetClientPool clients() {
        if (clients == null) {
            if (vertx == null) {
                vertx = getCamelContext().getRegistry().findSingleByType(Vertx.class);
            }
            if (vertx == null) {
                vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
                ownsVertx = true;
            }
            clients = new SkynetClientPool(vertx);
        }
        return clients;
    }

    /** The hub participant an endpoint uses: its bridge's shared one, or one of its own. */
    /**
     * @param clusterMessages whether the participant also receives what entered on other gateways of a cluster
     */
    synchronized HubParticipant joinHub(String bridgeId, String endpointUri, boolean clusterMessages) {
        HubParticipant participant = bridgeId == null ? new HubParticipant(hub, endpointUri, clusterMessages)
                : bridges.computeIfAbsent(participantKey(bridgeId, clusterMessages),
                        id -> new HubParticipant(hub, "bridge " + bridgeId, clusterMessages));
        participant.retain();
        return participant;
    }

    synchronized void leaveHub(String bridgeId, boolean clusterMessages, HubParticipant participant) {
        if (participant.release() && bridgeId != null) {
            bridges.remove(participantKey(bridgeId, clusterMessages), participant);
        }
    }

    void countRouteQueueDrops(long dropped) {
        routeQueueDrops.add(dropped);
    }

    /** Messages the consumers of this component dropped: their route's queue was full, or they stopped with some. */
    public long routeQueueDrops() {
        return routeQueueDrops.sum();
    }

    private static String participantKey(String bridgeId, boolean clusterMessages) {
        return (clusterMessages ? "cluster:" : "local:") + bridgeId;
    }

    public SkynetHub getHub() {
        return hub;
    }

    public void setHub(SkynetHub hub) {
        this.hub = hub;
    }

    public Vertx getVertx() {
        return vertx;
    }

    public void setVertx(Vertx vertx) {
        this.vertx = vertx;
    }
}
