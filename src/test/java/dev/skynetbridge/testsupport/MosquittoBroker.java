package dev.skynetbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Mosquitto broker as a child process on a free 127.0.0.1 port, for tests that need an
 * MQTT broker outside the JVM (outage tests: stop, then start again on the same port).
 * Never the system broker on 1883.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);
    private static final Path BINARY = Path.of(System.getProperty("skynet.mosquitto", "/usr/sbin/mosquitto"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final int webSocketPort;
    private final Path workDir;
    private Process process;

    public MosquittoBroker() {
        this(false);
    }

    /**
     * @param persistent keep sessions, subscriptions and queued messages across a stop/start (written to its
     *     work folder on stop), as a real deployment does
     */
    public MosquittoBroker(boolean persistent) {
        this(persistent, null, null);
    }

    /** A broker that accepts only this user name and password (no anonymous clients). */
    public static MosquittoBroker withPassword(String username, String password) {
        return new MosquittoBroker(false, username, password);
    }

    private MosquittoBroker(boolean persistent, String username, String password) {
        this.port = FreePorts.pick();
        this.webSocketPort = FreePorts.pick();
        try {
            this.workDir = Files.createTempDirectory("skynet-mosquitto-");
            String authentication = "allow_anonymous true";
            if (username != null) {
                Path passwords = workDir.resolve("passwords");
                runPasswordTool(passwords, username, password);
                authentication = "allow_anonymous false\npassword_file " + passwords;
            }
            Files.writeString(workDir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    authentication,
                    persistent ? "persistence true" : "persistence false",
                    persistent ? "persistence_location " + workDir + "/" : "",
                    // Started as root, mosquitto switches to user "mosquitto", which cannot read our temp folder.
                    persistent || username != null ? "user " + System.getProperty("user.name") : "",
                    // Far above any test's burst: the broker must not drop messages queued for a test's subscriber
                    // (its default is 1,000), a loss no test here is about.
                    "max_queued_messages 200000",
                    "log_dest stderr",
                    // MQTT over websockets as well (ws://), for clients that reach brokers that way.
                    "listener " + webSocketPort + " 127.0.0.1",
                    "protocol websockets",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Mosquitto config", e);
        }
    }

    private static void runPasswordTool(Path file, String username, String password) throws IOException {
        Path tool = BINARY.resolveSibling("../bin/mosquitto_passwd").normalize();
        if (!Files.isExecutable(tool)) {
            tool = Path.of("/usr/bin/mosquitto_passwd");
        }
        Process process = new ProcessBuilder(List.of(tool.toString(), "-b", "-c", file.toString(), username, password))
                .redirectErrorStream(true).start();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw new IOException(tool + " failed: " + new String(process.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + tool, e);
        }
    }

    /** Whether the mosquitto binary is installed here; tests that need it are skipped otherwise. */
    public static boolean isAvailable() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Skips the calling test on a developer machine without mosquitto, but fails it under CI
     * (CI=true): .ci/run installs mosquitto, so a skip there would hide a broken set-up.
     */
    public static void assumeAvailable() {
        RequiredTool.assumeInstalled(isAvailable(), String.valueOf(BINARY), "mosquitto");
    }

    /** Starts Mosquitto (again, on the same port) and returns once the port accepts connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        long startedAt = System.nanoTime();
        Path log = workDir.resolve("mosquitto.log");
        try {
            process = new ProcessBuilder(List.of(BINARY.toString(), "-c", workDir.resolve("mosquitto.conf").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + BINARY, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!acceptsConnections()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Mosquitto exited with " + process.exitValue()
                        + " before listening on 127.0.0.1:" + port + "; its log:\n" + readQuietly(log));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("Mosquitto did not listen on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT + "; its log:\n" + readQuietly(log));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        LOG.info("Mosquitto listening on 127.0.0.1:{} (started in {} ms)", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    /** Terminates the process (SIGTERM, then SIGKILL if it lingers); connected clients lose their connection. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        process = null;
        stopping.destroy();
        try {
            if (!stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        try (var paths = Files.walk(workDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}", workDir, e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The same broker over MQTT-over-websockets. */
    public String webSocketUri() {
        return "ws://127.0.0.1:" + webSocketPort + "/mqtt";
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
