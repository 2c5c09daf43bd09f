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

    /**
     * One server, not started, with this configuration file text (nats-server's own syntax: {@code authorization},
     * {@code tls}, {@code max_payload}...); the address and port stay the ones picked here.
     */
    public static NatsServer withConfig(String configuration) {
        NatsServer server = single();
        try {
            Path file = Files.createTempFile("skynet-nats-", ".conf");
            Files.writeString(file, configuration);
            file.toFile().deleteOnExit();
            server.extraArguments = List.of("-c", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** What the server logged so far. */
    public String log() {
        return readQuietly();
    }

    /** The server's process id while it runs (to pause it with SIGSTOP in tests), or -1. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Publishes raw payloads as a plain NATS client would (its own TCP connection, no login), and returns once the
     * server has processed them (a PING answered by PONG after them).
     */
    public void publishRaw(String subject, byte[]... payloads) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            frames.write("CONNECT {\"verbose\":false}\r\n".getBytes(StandardCharsets.US_ASCII));
            for (byte[] payload : payloads) {
                frames.write(("PUB " + subject + " " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                frames.write(payload);
                frames.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            frames.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(frames.toByteArray());
            out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (String line = in.readLine(); !"PONG".equals(line); line = in.readLine()) {
                if (line == null || line.startsWith("-ERR")) {
                    throw new IOException("nats-server did not take the raw publish: " + line);
                }
            }
        }
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
