package dev.skynetbridge.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Immutable options of the {@link EmbeddedMqttBroker}; each {@code with...} validates its argument and returns a copy. */
public record EmbeddedMqttBrokerOptions(String bindHost, int port, Path dataFolder, Persistence persistence,
                                        Duration startTimeout, long maxQueuedMessages, int maxInflightMessages,
                                        int qos0MemoryPerClient, String bridgeClientIdPrefix,
                                        long bridgeMaxQueuedMessages, int serverReceiveMaximum) {

    /**
     * Bytes of QoS 0 messages the broker holds for one client that reads slower than they arrive, before it drops
     * new ones for it. HiveMQ CE's built-in 5 MiB (not in its config file) is about 2 s of a 20,000 msg/s channel:
     * one stall of a busy machine lost QoS 0 messages (BENCHMARKS.md). All clients together stay under a quarter
     * of the heap (HiveMQ's own hard limit).
     */
    public static final int DEFAULT_QOS0_MEMORY_PER_CLIENT = 32 * 1024 * 1024;
    /**
     * QoS 1 and 2 messages the broker holds for one of the gateway's own bridge clients. Every message MQTT sends into
     * Skynet waits in that one subscriber's queue while the bridge's route catches up, and HiveMQ acknowledges a
     * publisher as soon as a message is queued: a 30,000-message QoS 1 burst from mosquitto_pub overflowed the
     * general 10,000 (8,355 dropped on a CI run at load 18). 50,000 holds such a burst even if the route made no
     * progress meanwhile; a queued small message took 0.3-1.2 KiB of heap (three measurements, BENCHMARKS.md), so a
     * full queue holds up to about 60 MiB, and only while the bridge is that far behind.
     */
    public static final long DEFAULT_BRIDGE_MAX_QUEUED_MESSAGES = 50_000;
    /**
     * QoS 1 and 2 publishes one client may send the broker before it waits for their acknowledgements (MQTT 5's
     * Receive Maximum in the broker's CONNACK). HiveMQ CE's default, 10, caps a QoS 1/2 publisher at 10 per round
     * trip: on a loaded 2-core machine an MQTT publisher into the default bridge got 3,400-7,800 msg/s of 20,000
     * (BENCHMARKS.md), and the gateway's own bridge publishing Skynet to MQTT meets the same cap.
     */
    public static final int DEFAULT_SERVER_RECEIVE_MAXIMUM = 1_000;

    public EmbeddedMqttBrokerOptions {
        Objects.requireNonNull(bindHost, "bindHost");
        if (bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) to 65535, was " + port);
        }
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be at least 1, was " + maxQueuedMessages);
        }
        if (maxInflightMessages < 1 || maxInflightMessages > 65_535) {
            throw new IllegalArgumentException("maxInflightMessages must be 1 to 65535 (MQTT's largest Receive"
                    + " Maximum), was " + maxInflightMessages);
        }
        if (qos0MemoryPerClient < 1) {
            throw new IllegalArgumentException("qos0MemoryPerClient must be at least 1 byte, was " + qos0MemoryPerClient);
        }
        if (bridgeClientIdPrefix != null && bridgeClientIdPrefix.isEmpty()) {
            throw new IllegalArgumentException("bridgeClientIdPrefix must be null (no bridge clients) or not empty");
        }
        if (serverReceiveMaximum < 1 || serverReceiveMaximum > 65_535) {
            throw new IllegalArgumentException("serverReceiveMaximum must be 1 to 65535 (MQTT's largest Receive"
                    + " Maximum), was " + serverReceiveMaximum);
        }
        if (bridgeMaxQueuedMessages < 1) {
            throw new IllegalArgumentException("bridgeMaxQueuedMessages must be at least 1, was " + bridgeMaxQueuedMessages);
        }
    }

    /**
     * 127.0.0.1:1884, a temporary folder, in-memory persistence, 60 s to start, 10,000 queued and 1,000 in-flight
     * messages and 32 MiB of QoS 0 per client, no bridge clients (see {@link #withBridgeClients}), a receive maximum
     * of 1,000.
     */
    public static EmbeddedMqttBrokerOptions defaults() {
        return new EmbeddedMqttBrokerOptions(EmbeddedMqttBroker.DEFAULT_BIND_HOST, EmbeddedMqttBroker.DEFAULT_PORT, null, Persistence.IN_MEMORY, Duration.ofSeconds(60),
                EmbeddedMqttBroker.DEFAULT_MAX_QUEUED_MESSAGES, EmbeddedMqttBroker.DEFAULT_MAX_INFLIGHT_MESSAGES,
                DEFAULT_QOS0_MEMORY_PER_CLIENT, null,
                DEFAULT_BRIDGE_MAX_QUEUED_MESSAGES, DEFAULT_SERVER_RECEIVE_MAXIMUM);
    }

    public EmbeddedMqttBrokerOptions withBindHost(String host) {
        return new EmbeddedMqttBrokerOptions(host, port, dataFolder, persistence, startTimeout, maxQueuedMessages, maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    /** 0 picks a free port on the first start. */
    public EmbeddedMqttBrokerOptions withPort(int newPort) {
        return new EmbeddedMqttBrokerOptions(bindHost, newPort, dataFolder, persistence, startTimeout, maxQueuedMessages, maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    /** HiveMQ's conf/, data/ and extensions/ go below it; null means a temporary folder deleted on stop. */
    public EmbeddedMqttBrokerOptions withDataFolder(Path folder) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, folder, persistence, startTimeout, maxQueuedMessages, maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    public EmbeddedMqttBrokerOptions withPersistence(Persistence mode) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, mode, startTimeout, maxQueuedMessages, maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    public EmbeddedMqttBrokerOptions withStartTimeout(Duration timeout) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, persistence, timeout, maxQueuedMessages, maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    /** QoS 1 and 2 messages sent to one client before it must acknowledge (see {@link EmbeddedMqttBroker#DEFAULT_MAX_INFLIGHT_MESSAGES}). */
    public EmbeddedMqttBrokerOptions withMaxInflightMessages(int limit) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, persistence, startTimeout, maxQueuedMessages, limit, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    /** QoS 1 and 2 messages held per client before new ones for it are dropped (see {@link EmbeddedMqttBroker#DEFAULT_MAX_QUEUED_MESSAGES}). */
    public EmbeddedMqttBrokerOptions withMaxQueuedMessages(long limit) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, persistence, startTimeout, limit, maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    /** Bytes of QoS 0 messages held per slow client before new ones for it are dropped ({@link #DEFAULT_QOS0_MEMORY_PER_CLIENT}). */
    public EmbeddedMqttBrokerOptions withQos0MemoryPerClient(int bytes) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, persistence, startTimeout, maxQueuedMessages,
                maxInflightMessages, bytes, bridgeClientIdPrefix, bridgeMaxQueuedMessages, serverReceiveMaximum);
    }

    /**
     * Clients whose id starts with {@code clientIdPrefix} (the gateway's own bridges) get a queue of
     * {@code maxQueued} messages instead of {@link #maxQueuedMessages()} (see {@link #DEFAULT_BRIDGE_MAX_QUEUED_MESSAGES}).
     */
    public EmbeddedMqttBrokerOptions withBridgeClients(String clientIdPrefix, long maxQueued) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, persistence, startTimeout, maxQueuedMessages,
                maxInflightMessages, qos0MemoryPerClient, clientIdPrefix, maxQueued, serverReceiveMaximum);
    }

    /** QoS 1 and 2 publishes a client may have unacknowledged towards the broker (see {@link #DEFAULT_SERVER_RECEIVE_MAXIMUM}). */
    public EmbeddedMqttBrokerOptions withServerReceiveMaximum(int limit) {
        return new EmbeddedMqttBrokerOptions(bindHost, port, dataFolder, persistence, startTimeout, maxQueuedMessages,
                maxInflightMessages, qos0MemoryPerClient, bridgeClientIdPrefix, bridgeMaxQueuedMessages, limit);
    }

    /** Where the broker keeps sessions, retained messages and queued messages. */
    public enum Persistence {
        /** Lost when the broker stops; nothing written to disk. */
        IN_MEMORY,
        /** Kept in the data folder across restarts (give an explicit data folder for that to matter). */
        FILE
    }
}
