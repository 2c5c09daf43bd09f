package dev.skynetbridge.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * {@code warm-up}: starts the gateway with config/ and routes/ as a user's run would, but on free loopback ports,
 * waits until its health check is UP, reads the health, metrics and console pages once, and stops. The build runs it
 * under {@code -XX:ArchiveClassesAtExit} to record what a start loads into {@code target/skynet-bridge.jsa}, the
 * class-data archive {@code bin/skynet-bridge} starts with (BENCHMARKS.md: start-up). Exit status 0 when the gateway
 * came up, 1 otherwise (with the reason).
 */
final class WarmUpCommand {

    static final String NAME = "warm-up";
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final PrintStream out;
    private final PrintStream err;

    WarmUpCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run() {
        List<Integer> ports = freePorts(4);
        Properties overrides = new Properties();
        overrides.setProperty(GatewaySettings.SERVER_HOST.key(), "127.0.0.1");
        overrides.setProperty(GatewaySettings.SERVER_PORT.key(), String.valueOf(ports.get(0)));
        overrides.setProperty(GatewaySettings.MQTT_EMBEDDED_HOST.key(), "127.0.0.1");
        overrides.setProperty(GatewaySettings.MQTT_EMBEDDED_PORT.key(), String.valueOf(ports.get(1)));
        overrides.setProperty(GatewaySettings.HTTP_HOST.key(), "127.0.0.1");
        overrides.setProperty(GatewaySettings.HTTP_PORT.key(), String.valueOf(ports.get(2)));
        overrides.setProperty(GatewaySettings.MANAGEMENT_HOST.key(), "127.0.0.1");
        overrides.setProperty(GatewaySettings.MANAGEMENT_PORT.key(), String.valueOf(ports.get(3)));
        GatewayApplication application = new GatewayApplication();
        Main main = application.configure(overrides);
        String management = "http://127.0.0.1:" + ports.get(3);
        try {
            main.start();
            if (application.services() != null) {
                application.services().awaitBackgroundStarts();
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            awaitHealthy(http, management + "/observe/health");
            for (String path : List.of("/observe/metrics", "/", "/api/overview")) {
                get(http, management + path);
            }
            out.println("warm-up: the gateway started and answered on " + management + "; stopping");
            return 0;
        } catch (Exception e) {
            err.println("warm-up: the gateway did not come up: "
                        + StartupProblem.describe(e, main.getCamelContext()));
            return 1;
        } finally {
            try {
                main.stop();
            } catch (Exception e) {
                err.println("warm-up: stopping: " + e);
            }
            application.closeServices();
            GatewayApplication.silenceShutdownHook(main);
        }
    }

    private static void awaitHealthy(HttpClient http, String url) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = get(http, url);
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(url + " was not UP within " + READY_WITHIN.toSeconds() + " s: " + last);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Distinct ports free a moment ago: every socket stays open until all are chosen. */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("No free loopback port for the warm-up: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a socket we only bound
                }
            }
        }
    }
}
