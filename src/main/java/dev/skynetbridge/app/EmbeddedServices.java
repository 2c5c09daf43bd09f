package dev.skynetbridge.app;

import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.SkynetServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway runs besides Camel routes: one Vert.x instance and the embedded Skynet
 * server with its hub. The hub and Vert.x are bound into Camel's registry, where the
 * {@code skynet:} component finds them.
 */
public final class EmbeddedServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);

    private final Vertx vertx;
    private final SkynetHub hub;
    private final SkynetServer server;

    private EmbeddedServices(Vertx vertx, SkynetHub hub, SkynetServer server) {
        this.vertx = vertx;
        this.hub = hub;
        this.server = server;
    }

    /** Starts everything the settings ask for; throws with a clear message if a port is taken. */
    public static EmbeddedServices start(GatewaySettings settings) {
        ServerOptions serverOptions = settings.serverOptions();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        SkynetHub hub = new SkynetHub(serverOptions.v1LogSize());
        SkynetServer server = null;
        try {
            if (settings.getBoolean(GatewaySettings.SERVER_ENABLED)) {
                server = new SkynetServer(vertx, serverOptions, hub);
                server.start();
            } else {
                LOG.info("Embedded Skynet server disabled ({}=false): skynet: endpoints without a server option stay"
                         + " in-process", GatewaySettings.SERVER_ENABLED.key());
            }
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        return new EmbeddedServices(vertx, hub, server);
    }

    /**
     * For the validate command: the settings are checked and a hub is bound for the skynet:
     * component, but nothing listens and no thread is started.
     */
    public static EmbeddedServices forValidation(GatewaySettings settings) {
        ServerOptions serverOptions = settings.serverOptions();
        settings.getBoolean(GatewaySettings.SERVER_ENABLED);
        return new EmbeddedServices(null, new SkynetHub(serverOptions.v1LogSize()), null);
    }

    public void bindInto(Registry registry) {
        registry.bind("skynetHub", SkynetHub.class, hub);
        if (vertx != null) {
            registry.bind("vertx", Vertx.class, vertx);
        }
    }

    public SkynetHub hub() {
        return hub;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The embedded server's port, or -1 when it is disabled. */
    public int skynetPort() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
