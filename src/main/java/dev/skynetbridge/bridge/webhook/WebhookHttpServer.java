package dev.skynetbridge.bridge.webhook;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The HTTP server behind {@code platform-http:} routes (webhooks into Skynet). It runs on the
 * gateway's own Vert.x instance (found in the registry) and starts with the Camel context, before
 * the routes. Started here rather than through {@code camel.server.*} so that it needs no extra
 * module and its port and host are gateway settings like the Skynet server's.
 *
 * <p>Every error it answers has the JSON shape of {@link InboundWebhookGuard}'s, including those
 * Vert.x answers before a route runs (see {@link JsonErrorResponses}).
 */
public final class WebhookHttpServer {

    private WebhookHttpServer() {
    }

    /**
     * @param port 0 picks a free port (tests); {@link #port} tells which
     * @param maxBodySize largest request body read at all, in bytes; larger requests get a JSON 413
     */
    public static void install(CamelContext context, String host, int port, long maxBodySize) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(port);
        configuration.setMaxBodySize(maxBodySize);
        VertxPlatformHttpServer server = new JsonErrorsServer(configuration, maxBodySize);
        // platform-http finds the server (and the port it bound) by type in the registry.
        context.getRegistry().bind("skynetHttpServer", VertxPlatformHttpServer.class, server);
        try {
            context.addService(server, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot set up the HTTP server on " + host + ":" + port, e);
        }
    }

    /** The port the server listens on, or -1 when it is not running. */
    public static int port(CamelContext context) {
        VertxPlatformHttpServer server = context.getRegistry().findSingleByType(VertxPlatformHttpServer.class);
        return server == null || server.getServer() == null ? -1 : server.getPort();
    }

    /** The platform-http server with {@link JsonErrorResponses} on its router before any route is added. */
    private static final class JsonErrorsServer extends VertxPlatformHttpServer {

        private final long maxBodySize;

        JsonErrorsServer(VertxPlatformHttpServerConfiguration configuration, long maxBodySize) {
            super(configuration);
            this.maxBodySize = maxBodySize;
        }

        @Override
        protected void initializeServer() {
            super.initializeServer();
            // The router platform-http consumers add their routes to; the server binds it while initializing.
            VertxPlatformHttpRouter router = getCamelContext().getRegistry()
                    .findByType(VertxPlatformHttpRouter.class).stream()
                    .filter(candidate -> candidate.getServer() == this)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("platform-http did not register its router"));
            JsonErrorResponses.install(router, maxBodySize);
        }
    }
}
