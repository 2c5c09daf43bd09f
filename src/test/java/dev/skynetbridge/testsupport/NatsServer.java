package dev.skynetbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A real {@code nats-server} as a child process on free 127.0.0.1 ports, alone or as one of a cluster
 * ({@link #cluster(int)}); stop and start it again on the same ports for outage tests. Never the system NATS on
 * 4222.
 */
public final class NatsServer implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("skynet.nats-server", "/usr/sbin/nats-server"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int port;
    private final int clusterPort;
    private List<Integer> routePorts = List.of();
    private List<String> extraArguments = List.of();
    private final Path log;
    private Process process;

    private NatsServer(String name, int port, int clusterPort) {
        this.name = name;
        this.port = port;
        this.clusterPort = clusterPort;
        try {
            this.log = Files.createTempFile("skynet-nats-" + name + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One server, not started. */
    public static NatsServer single() {
        return new NatsServer("single", FreePorts.pick(), -1);
    }

    /** One server, not started, that admits only this user (nats://user:password@host:port). */
    public static NatsServer withUser(String user, String password) {
        NatsServer server = single();
        server.extraArguments = List.of("--user", user, "--pass", password);
        return server;
    }

    /** {@code size} servers that form one NATS cluster once started (each routes to the others). */
    public static List<NatsServer> cluster(int size) {
        List<Integer> ports = FreePorts.pick(2 * size);
        List<NatsServer> servers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            servers.add(new NatsServer("n" + (i + 1), ports.get(2 * i), ports.get(2 * i + 1)));
        }
        for (NatsServer server : servers) {
            server.routePorts = servers.stream().filter(other -> other != server).map(other -> other.clusterPort)
                    .toList();
        }
        return servers;
    }

    /** Skips the calling test where nats-server is not installed, but fails it under CI (.ci/run installs it). */
    public static void assumeAvailable() {
        RequiredTool.assumeInstalled(Files.isExecutable(BINARY), String.valueOf(BINARY), "nats-server");
    }

    /** Starts the server (again, on the same ports) and returns once its client port accepts connections. */
    public synchronized NatsServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-a", "127.0.0.1", "-p",
                String.valueOf(port), "-n", name));
        command.addAll(extraArguments);
        if (clusterPort > 0) {
            command.addAll(List.of("--cluster_name", "skynet-test", "--cluster", "nats://127.0.0.1:" + clusterPort,
                    "--routes", routePorts.stream().map(p -> "nats://127.0.0.1:" + p).collect(Collectors.joining(","))));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + BINARY, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!acceptsConnections()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("nats-server did not listen on 127.0.0.1:" + port + "; its log:\n"
                        + readQuietly());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return this;
    }

    /** Terminates the server; its clients lose their connection. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        process = null;
        stopping.destroyForcibly();
        try {
            stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String readQuietly() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
