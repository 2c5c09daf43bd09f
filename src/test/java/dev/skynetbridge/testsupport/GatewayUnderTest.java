package dev.skynetbridge.testsupport;

import dev.skynetbridge.app.GatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole gateway started in the test JVM the way {@code java -jar} starts it (Camel Main,
 * YAML routes from a folder, the embedded Skynet server), on a free port and a temporary routes
 * folder.
 */
public final class GatewayUnderTest implements AutoCloseable {

    private final GatewayApplication application = new GatewayApplication();
    private final Main main;
    private final Path routesDir;

    private GatewayUnderTest(Path routesDir, Map<String, String> settings) {
        this.routesDir = routesDir;
        Properties overrides = new Properties();
        overrides.setProperty("skynet.server.port", "0");
        overrides.setProperty("skynet.server.host", "127.0.0.1");
        overrides.setProperty("skynet.http.port", "0");
        overrides.setProperty("skynet.http.host", "127.0.0.1");
        overrides.setProperty("skynet.routes.dir", routesDir.toString());
        // Tests that want the health endpoint set a free port and enable it.
        overrides.setProperty("camel.management.enabled", "false");
        // The embedded MQTT broker takes seconds to start and stop; tests that need it turn it on.
        overrides.setProperty("skynet.mqtt.embedded.enabled", "false");
        overrides.putAll(settings);
        this.main = application.configure(overrides);
    }

    /** Writes each YAML text as {@code routes/<name>.yaml} and starts the gateway. */
    public static GatewayUnderTest start(Map<String, String> routeFiles) {
        return start(routeFiles, Map.of());
    }

    public static GatewayUnderTest start(Map<String, String> routeFiles, Map<String, String> settings) {
        try {
            Path dir = Files.createTempDirectory("skynet-routes");
            for (Map.Entry<String, String> file : routeFiles.entrySet()) {
                Files.writeString(dir.resolve(file.getKey() + ".yaml"), file.getValue());
            }
            GatewayUnderTest gateway = new GatewayUnderTest(dir, settings);
            try {
                gateway.main.start();
                // Main.start() (unlike Main.run()) calls no afterStart listener either, where the gateway waits
                // for the embedded MQTT broker it started in the background: wait here, as a started gateway does.
                if (gateway.application.services() != null) {
                    gateway.application.services().awaitBackgroundStarts();
                }
            } catch (Exception e) {
                // A gateway that fails to start (tests of bad routes) must not leave its server and ports behind.
                try {
                    gateway.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops and starts a route and, when it starts from a Kamelet ({@code kamelet:skynet-kafka-replay-source}),
     * that Kamelet's own route, which holds the real consumer: Camel restarts only the route it is told to.
     */
    public void restartRoute(String routeId) throws Exception {
        var controller = context().getRouteController();
        String kameletRoute = context().getRoute(routeId).getEndpoint()
                instanceof org.apache.camel.component.kamelet.KameletEndpoint kamelet ? kamelet.getRouteId() : null;
        if (kameletRoute != null) {
            controller.stopRoute(kameletRoute);
        }
        controller.stopRoute(routeId);
        controller.startRoute(routeId);
        if (kameletRoute != null) {
            controller.startRoute(kameletRoute);
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int skynetPort() {
        return application.services().skynetPort();
    }

    /** The port of the HTTP server for platform-http: routes (webhooks in), or -1 when it is off. */
    public int httpPort() {
        return dev.skynetbridge.bridge.webhook.WebhookHttpServer.port(context());
    }

    public GatewayApplication application() {
        return application;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            // Main.stop() (unlike Main.run()) does not call the listeners' afterStop, where the gateway closes its
            // embedded services: close them here, or the embedded broker, server and Vert.x outlive the test.
            if (application.services() != null) {
                application.services().close();
            }
        }
        try (var files = Files.list(routesDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(routesDir);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
