package dev.skynetbridge.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 5 broker the gateway embeds by default (HiveMQ Community Edition, in this JVM).
 *
 * <p>Each {@link #start()} builds a fresh HiveMQ instance and each {@link #stop()} closes it
 * completely, so the broker can be stopped and started again in one JVM (outage tests do that).
 * A port of 0 is resolved to a free port on the first start and kept for later starts, so
 * clients that reconnect find the broker where it was.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    public static final int DEFAULT_PORT = 1884;
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    /**
     * QoS 1 and 2 messages the broker holds for one client, sent but unacknowledged ones included, whether
     * the client is connected (and slow) or away with a kept session. HiveMQ's own default (1,000) is less
     * than one burst a busy Skynet server can produce; past the bound HiveMQ drops each new message for that
     * client (strategy "discard"), logging it only at DEBUG and counting it in its own metrics. QoS 0 messages
     * have a bound of their own ({@link EmbeddedMqttBrokerOptions#DEFAULT_QOS0_MEMORY_PER_CLIENT}).
     */
    public static final long DEFAULT_MAX_QUEUED_MESSAGES = 10_000;
    /**
     * QoS 1 and 2 messages the broker sends one client before it waits for acknowledgements (a client's MQTT 5
     * Receive Maximum lowers it for that client). HiveMQ CE's built-in 50 (not in its config file) caps one
     * subscriber at about 50 messages per acknowledgement round trip: a mosquitto_sub or Node-RED subscriber
     * got ~1,700 msg/s of a 3,000 msg/s channel and the rest overflowed its queue (BENCHMARKS.md).
     */
    public static final int DEFAULT_MAX_INFLIGHT_MESSAGES = 1_000;
    /** HiveMQ's metric of messages it dropped for any reason (queue full, QoS 0 memory, not writable, ...). */
    private static final String DROPPED_METRIC = "com.hivemq.messages.dropped.count";
    private static final String CONNECTIONS_METRIC = "com.hivemq.networking.connections.current";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    /** Tries to start on a self-picked free port before giving up; another process may take it between pick and bind. */
    private static final int PICKED_PORT_ATTEMPTS = 3;

    private final EmbeddedMqttBrokerOptions options;
    private int resolvedPort;
    private Path baseFolder;
    /** The folder under the system's temporary folder, when no data folder is configured. */
    private TemporaryBrokerFolder temporaryFolder;
    private EmbeddedHiveMQ hiveMq;
    /** Drops counted by broker instances that have stopped, so the count survives a restart. */
    private long droppedBeforeRestart;

    public EmbeddedMqttBroker() {
        this(EmbeddedMqttBrokerOptions.defaults());
    }

    public EmbeddedMqttBroker(EmbeddedMqttBrokerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.resolvedPort = options.port();
    }

    /**
     * Starts the broker and returns once it accepts TCP connections.
     *
     * @throws MqttBrokerStartException if the port is taken, the folders cannot be prepared, or HiveMQ fails
     */
    public synchronized void start() {
        if (hiveMq != null) {
            return;
        }
        boolean pickPort = resolvedPort == 0;
        for (int attempt = 1; ; attempt++) {
            if (pickPort) {
                resolvedPort = pickFreePort(options.bindHost());
            }
            try {
                startOnce();
                return;
            } catch (PortTakenException e) {
                if (!pickPort || attempt >= PICKED_PORT_ATTEMPTS) {
                    throw new MqttBrokerStartException(
                            "Embedded MQTT broker cannot listen on " + options.bindHost() + ":" + resolvedPort
                                    + ": the port is already in use. Stop what uses it or choose another port"
                                    + " (0 picks a free one).", e.getCause());
                }
                LOG.debug("Picked port {} was taken before the broker bound it; picking another", resolvedPort);
            }
        }
    }

    /**
     * Starts the broker on a thread of its own and returns at once, so the rest of the gateway starts meanwhile
     * (HiveMQ's first start in a JVM takes seconds, a later one a tenth of that: class loading and JIT). The
     * port is resolved and checked here, so a taken port still fails at once; the future completes when the
     * broker accepts connections, or fails with a {@link MqttBrokerStartException}.
     */
    public java.util.concurrent.CompletableFuture<Void> startInBackground() {
        synchronized (this) {
            if (hiveMq != null) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            if (resolvedPort != 0) {
                try {
                    ensurePortFree(options.bindHost(), resolvedPort);
                } catch (PortTakenException e) {
                    throw new MqttBrokerStartException("Embedded MQTT broker cannot listen on " + options.bindHost() + ":"
                            + resolvedPort + ": the port is already in use. Stop what uses it or choose another port"
                            + " (0 picks a free one).", e.getCause());
                }
            } else {
                resolvedPort = pickFreePort(options.bindHost());
            }
        }
        java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                start();
                started.complete(null);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "skynet-mqtt-broker-start");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    private void startOnce() {
        // HiveMQ logs a bind failure and carries on, so check first that the port is ours to take.
        ensurePortFree(options.bindHost(), resolvedPort);
        prepareFolders();
        long startedAt = System.nanoTime();
        // A JVM-wide HiveMQ internal (no config-file key): every embedded broker in this JVM shares it.
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = options.maxInflightMessages();
        InternalConfigurations.QOS_0_MEMORY_LIMIT_PER_CLIENT_BYTES.set(options.qos0MemoryPerClient());
        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(baseFolder.resolve("conf"))
                .withDataFolder(baseFolder.resolve("data"))
                .withExtensionsFolder(baseFolder.resolve("extensions"))
                // HiveMQ's logging bootstrap reconfigures logback; the project logs through its own SLF4J backend.
                .withoutLoggingBootstrap();
        if (options.bridgeClientIdPrefix() != null) {
            builder.withEmbeddedExtension(new BridgeClientQueues(options.bridgeClientIdPrefix(),
                    options.bridgeMaxQueuedMessages()).asExtension());
        }
        EmbeddedHiveMQ candidate = builder.build();
        try {
            candidate.start().get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            awaitListening();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(candidate);
            throw new MqttBrokerStartException("Interrupted while starting the embedded MQTT broker", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            closeQuietly(candidate);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new MqttBrokerStartException("Embedded MQTT broker failed to start on "
                    + options.bindHost() + ":" + resolvedPort + ": " + cause, cause);
        }
        hiveMq = candidate;
        DroppedMessageWarnings.install("skynet.mqtt.embedded.max-queued-messages (now " + options.maxQueuedMessages()
                + ") or skynet.mqtt.embedded.max-inflight-messages (now " + options.maxInflightMessages() + ")",
                "skynet.mqtt.embedded.qos0-memory-per-client (now " + options.qos0MemoryPerClient() + " bytes)",
                options.bridgeClientIdPrefix(), "skynet.mqtt.embedded.bridge-max-queued-messages (now "
                        + options.bridgeMaxQueuedMessages() + ")");
        LOG.info("Embedded MQTT broker listening on {}:{} (started in {} ms)", options.bindHost(), resolvedPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    /** Stops the broker and releases its port; clients see their connection drop. Safe to call when stopped. */
    public synchronized void stop() {
        if (hiveMq == null) {
            return;
        }
        long stoppingAt = System.nanoTime();
        EmbeddedHiveMQ stopping = hiveMq;
        droppedBeforeRestart += droppedBy(stopping);
        hiveMq = null;
        DroppedMessageWarnings.uninstall();
        try {
            stopping.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the embedded MQTT broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Embedded MQTT broker failed to stop cleanly", e.getCause());
        } finally {
            if (temporaryFolder != null) {
                temporaryFolder.close();
                temporaryFolder = null;
                baseFolder = null;
            }
        }
        LOG.info("Embedded MQTT broker on port {} stopped in {} ms", resolvedPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt));
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return hiveMq != null;
    }

    /** Messages the broker dropped for its subscribers since this object was created (restarts included). */
    public synchronized long droppedMessages() {
        return droppedBeforeRestart + (hiveMq == null ? 0 : droppedBy(hiveMq));
    }

    /** MQTT connections open now; 0 while stopped. */
    public synchronized long connections() {
        if (hiveMq == null) {
            return 0;
        }
        Gauge<?> gauge = hiveMq.getMetricRegistry().getGauges().get(CONNECTIONS_METRIC);
        return gauge != null && gauge.getValue() instanceof Number number ? number.longValue() : 0;
    }

    private static long droppedBy(EmbeddedHiveMQ instance) {
        Counter counter = instance.getMetricRegistry().getCounters().get(DROPPED_METRIC);
        return counter == null ? 0 : counter.getCount();
    }

    /** The port the broker listens on (or will, once started): the configured one, or the picked one for port 0. */
    public synchronized int port() {
        if (resolvedPort == 0) {
            throw new IllegalStateException("Port 0 is resolved on start(); start the broker first");
        }
        return resolvedPort;
    }

    public String bindHost() {
        return options.bindHost();
    }

    /** {@code tcp://host:port} for MQTT clients on this machine. */
    public String serverUri() {
        String host = isWildcard(options.bindHost()) ? "127.0.0.1" : options.bindHost();
        return "tcp://" + host + ":" + port();
    }

    private void prepareFolders() {
        try {
            if (baseFolder == null) {
                if (options.dataFolder() != null) {
                    baseFolder = options.dataFolder();
                } else {
                    temporaryFolder = TemporaryBrokerFolder.create();
                    baseFolder = temporaryFolder.path();
                }
            }
            for (String sub : new String[] {"conf", "data", "extensions"}) {
                Files.createDirectories(baseFolder.resolve(sub));
            }
            Files.writeString(baseFolder.resolve("conf").resolve("config.xml"), configXml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MqttBrokerStartException("Cannot prepare the embedded MQTT broker folder "
                    + baseFolder + ": " + e.getMessage(), e);
        }
    }

    private String configXml() {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(resolvedPort, options.bindHost(), options.maxQueuedMessages(), options.serverReceiveMaximum(),
                options.persistence() == EmbeddedMqttBrokerOptions.Persistence.FILE ? "file" : "in-memory");
    }

    /** HiveMQ's start future completes once its listeners are started; confirm the socket really accepts. */
    private void awaitListening() {
        String host = isWildcard(options.bindHost()) ? "127.0.0.1" : options.bindHost();
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, resolvedPort), 500);
                return;
            } catch (IOException e) {
                last = e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        throw new MqttBrokerStartException("HiveMQ reported started but " + host + ":" + resolvedPort
                + " does not accept connections", last);
    }

    private static void ensurePortFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (BindException e) {
            throw new PortTakenException(e);
        } catch (IOException e) {
            throw new MqttBrokerStartException("Cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static int pickFreePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new MqttBrokerStartException("Cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private static boolean isWildcard(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host);
    }

    private static void closeQuietly(EmbeddedHiveMQ instance) {
        try {
            instance.close();
        } catch (Exception e) {
            LOG.debug("Ignoring failure while closing a HiveMQ instance that did not start", e);
        }
    }

    /** The broker could not be started; the message names the address and what to do. */
    public static final class MqttBrokerStartException extends RuntimeException {
        MqttBrokerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class PortTakenException extends RuntimeException {
        PortTakenException(BindException cause) {
            super(cause);
        }
    }
}
