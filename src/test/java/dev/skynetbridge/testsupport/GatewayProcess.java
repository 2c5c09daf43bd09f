package dev.skynetbridge.testsupport;

import dev.skynetbridge.app.GatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A whole gateway in a JVM of its own ({@code java -cp <the test classpath> GatewayApplication}), so that a test can
 * kill it the way a crash or the OOM killer does ({@link #kill()}: SIGKILL, no shutdown hook, no clean close of its
 * sockets by the gateway) instead of stopping it in-JVM. Settings as a user gives them: {@code SKYNET_*} environment
 * variables and a configuration file ({@code -Dskynet.config}) for Camel's management server; free ports, a temporary
 * working directory and routes folder, no embedded MQTT broker, no webhook server. Its output goes to a log file,
 * shown when it does not come up.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String nodeId;
    private final int skynetPort;
    private final int managementPort;
    private final Path directory;
    private final Path log;
    private final Process process;
    /** Kills the child if the test JVM ends without closing it: no gateway outlives the test run. */
    private final Thread reaper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayProcess(String nodeId, Map<String, String> settings) {
        this.nodeId = nodeId;
        List<Integer> ports = FreePorts.pick(2);
        this.skynetPort = ports.get(0);
        this.managementPort = ports.get(1);
        try {
            directory = Files.createTempDirectory("skynet-gateway-" + nodeId + "-");
            Path routes = Files.createDirectory(directory.resolve("routes"));
            Path config = directory.resolve("application.properties");
            Files.writeString(config, String.join("\n",
                    "camel.main.name = skynet-bridge-" + nodeId,
                    "camel.management.enabled = true",
                    "camel.management.host = 127.0.0.1",
                    "camel.management.port = " + managementPort,
                    "camel.management.health-check-enabled = true",
                    "camel.health.enabled = true", ""));
            log = directory.resolve("gateway.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Several gateways start at once on a small machine: a small heap, and no C2 compiler taking a
                    // core through the first half minute (nothing here measures throughput).
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dskynet.config=" + config,
                    "-cp", System.getProperty("java.class.path"),
                    GatewayApplication.class.getName()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("SKYNET_")); // only what this test says
            environment.put("SKYNET_CLUSTER_NODE_ID", nodeId);
            environment.put("SKYNET_SERVER_HOST", "127.0.0.1");
            environment.put("SKYNET_SERVER_PORT", String.valueOf(skynetPort));
            environment.put("SKYNET_MANAGEMENT_HOST", "127.0.0.1");
            environment.put("SKYNET_MANAGEMENT_PORT", String.valueOf(managementPort));
            environment.put("SKYNET_HTTP_ENABLED", "false");
            environment.put("SKYNET_MQTT_EMBEDDED_ENABLED", "false");
            environment.put("SKYNET_ROUTES_DIR", routes.toString());
            environment.putAll(settings);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a gateway process", e);
        }
        reaper = new Thread(process::destroyForcibly, "gateway-process-reaper-" + nodeId);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts a gateway process and returns at once; {@link #awaitHealthy()} waits for it.
     *
     * @param settings environment variables on top of the defaults above (e.g. {@code SKYNET_CLUSTER_NATS_URL})
     */
    public static GatewayProcess launch(String nodeId, Map<String, String> settings) {
        return new GatewayProcess(nodeId, settings);
    }

    /** Waits until {@code /observe/health} answers UP (with a cluster: NATS connected); fails with its log if not. */
    public GatewayProcess awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Gateway " + nodeId + " exited with status " + process.exitValue()
                        + " before it was healthy; its log:\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gateway " + nodeId + " was not healthy within " + START_TIMEOUT
                        + " (http://127.0.0.1:" + managementPort + "/observe/health); its log:\n" + logText());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return this;
    }

    /** Whether {@code /observe/health} answers 200 with status UP now. */
    public boolean healthy() {
        return "UP".equals(healthState());
    }

    /** {@code UP}, or what {@code /observe/health} answered instead; null when it did not answer within 5 s. */
    public String healthState() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + managementPort + "/observe/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean up = response.statusCode() == 200 && response.body().contains("\"UP\"");
            return up ? "UP" : "HTTP " + response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** SIGKILL: the gateway gets no chance to close anything; the kernel drops its connections. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Gateway " + nodeId + " did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to end on its own; its exit status. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Gateway " + nodeId + " still runs after " + limit + "; its log:\n"
                    + logText());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String nodeId() {
        return nodeId;
    }

    public int skynetPort() {
        return skynetPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** What the gateway wrote so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the process if it still runs and removes its directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    @Override
    public String toString() {
        return "gateway process " + nodeId + " (Skynet port " + skynetPort + ", pid " + process.pid() + ")";
    }
}
