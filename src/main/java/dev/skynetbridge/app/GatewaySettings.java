package dev.skynetbridge.app;

import dev.skynetbridge.support.logging.LogLevels;
import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.server.ConnectionLimits;
import dev.skynetbridge.server.OverflowPolicy;
import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.cluster.ClusterOptions;
import dev.skynetbridge.support.logging.LogLevels;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every setting of the gateway application, declared once with its default and meaning. A value
 * comes from, in order: the environment variable (the key upper-cased, dots and dashes as
 * underscores: {@code skynet.server.port} is {@code SKYNET_SERVER_PORT}), a {@code -D} system
 * property, {@code config/application.properties}, the default.
 *
 * <p>Component and route options are not here: they are declared on the components.
 */
public final class GatewaySettings {

    /** One setting: its key, default and meaning. */
    public record Setting(String key, String defaultValue, String description) {
        public String environmentVariable() {
            return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }

        /** The part of the gateway it configures, from its key (for docs/settings.md). */
        public SettingSection section() {
            return SettingSection.of(key);
        }
    }

    private static final List<Setting> ALL = new ArrayList<>();

    public static final Setting SERVER_ENABLED = declare("skynet.server.enabled", "true",
            "Run the embedded Skynet server (v2 and v1 on one port).");
    public static final Setting SERVER_HOST = declare("skynet.server.host", "0.0.0.0",
            "Address the embedded Skynet server binds to.");
    public static final Setting SERVER_PORT = declare("skynet.server.port", String.valueOf(ServerOptions.DEFAULT_PORT),
            "Port of the embedded Skynet server.");
    public static final Setting SERVER_MAX_FRAME_SIZE = declare("skynet.server.max-frame-size",
            String.valueOf(ServerOptions.DEFAULT_MAX_FRAME_SIZE),
            "Largest websocket message a client may send, in bytes; larger ones close it with code 1009.");
    public static final Setting SERVER_SEND_QUEUE_LIMIT = declare("skynet.server.send-queue-limit",
            String.valueOf(ServerOptions.DEFAULT_SEND_QUEUE_LIMIT),
            "Messages waiting to be written to one client, at most.");
    public static final Setting SERVER_OVERFLOW_POLICY = declare("skynet.server.overflow-policy", "drop-oldest",
            "When a client's send queue is full: drop-oldest (counted) or close (the slow client is disconnected with"
            + " websocket code 1008).");
    public static final Setting SERVER_V1_LOG_SIZE = declare("skynet.server.v1-log-size",
            String.valueOf(ServerOptions.DEFAULT_V1_LOG_SIZE),
            "Messages kept for the v1 log command (newest first). In a cluster each gateway's log holds the messages"
            + " that entered Skynet on that gateway, not those of the others.");
    public static final Setting SERVER_TLS_CERT = declare("skynet.server.tls-cert", "",
            "PEM certificate file: set it and tls-key to serve wss://.");
    public static final Setting SERVER_TLS_KEY = declare("skynet.server.tls-key", "",
            "PEM private key file for tls-cert.");
    public static final Setting SERVER_ACL_FILE = declare("skynet.server.acl-file", "",
            "Access file (YAML: tokens, their hashed secrets and per-channel rules; docs/access-control.md). Empty:"
            + " every client may open and send on every channel, as on the reference server.");
    public static final Setting SERVER_LIMIT_CHANNELS_PER_CONNECTION = declare(
            "skynet.server.limit.channels-per-connection",
            String.valueOf(ConnectionLimits.DEFAULT_CHANNELS_PER_CONNECTION),
            "Channels one client may have open; an open past it gets an error frame. 0: no limit.");
    public static final Setting SERVER_LIMIT_MESSAGES_PER_SECOND = declare("skynet.server.limit.messages-per-second",
            String.valueOf(ConnectionLimits.DEFAULT_MESSAGES_PER_SECOND),
            "Requests (open, close, message) one client may send per second, sustained; the excess is dropped"
            + " (counted) and the client gets an error frame. 0: no limit.");
    public static final Setting SERVER_LIMIT_MESSAGE_BURST = declare("skynet.server.limit.message-burst",
            String.valueOf(ConnectionLimits.DEFAULT_MESSAGE_BURST),
            "Requests one client may send at once above messages-per-second.");
    public static final Setting SERVER_LIMIT_BYTES_PER_SECOND = declare("skynet.server.limit.bytes-per-second",
            String.valueOf(ConnectionLimits.DEFAULT_BYTES_PER_SECOND),
            "Request bytes one client may send per second, sustained; the excess is dropped (counted) and the client"
            + " gets an error frame. 0: no limit.");
    public static final Setting SERVER_LIMIT_BYTE_BURST = declare("skynet.server.limit.byte-burst",
            String.valueOf(ConnectionLimits.DEFAULT_BYTE_BURST),
            "Request bytes one client may send at once above bytes-per-second; at least max-frame-size.");
    public static final Setting SERVER_LIMIT_CONNECTIONS_PER_ADDRESS = declare(
            "skynet.server.limit.connections-per-address",
            String.valueOf(ConnectionLimits.DEFAULT_CONNECTIONS_PER_ADDRESS),
            "Connections from one remote address (a Minecraft server's computers all share its address); more are"
            + " refused with HTTP 429. 0: no limit.");
    public static final Setting SERVER_LIMIT_CONNECTIONS = declare("skynet.server.limit.connections",
            String.valueOf(ConnectionLimits.DEFAULT_CONNECTIONS),
            "Connections to the embedded Skynet server in all; more are refused with HTTP 503. 0: no limit.");
    public static final Setting MANAGEMENT_PORT = declare("skynet.management.port", "8081",
            "Port of the management server: the console (/), its API (/api/...) and the health endpoint (GET"
            + " /observe/health: the embedded server, remote Skynet servers, brokers).");
    public static final Setting MANAGEMENT_HOST = declare("skynet.management.host", "127.0.0.1",
            "Address the management server binds to. 127.0.0.1: only this machine; any other address needs"
            + " skynet.management.token for the console and its API (health stays open for checks).");
    public static final Setting MANAGEMENT_TOKEN = declare("skynet.management.token", "",
            "Secret the console and its API require (browser: asked once; scripts: header Authorization: Bearer"
            + " <token>). Required when skynet.management.host is not a loopback address; empty on loopback: no"
            + " token asked.");
    public static final Setting MANAGEMENT_OBSERVE_TOKEN_REQUIRED = declare(
            "skynet.management.observe-token-required", "false",
            "true: /observe/health and /observe/metrics require skynet.management.token too (header Authorization:"
            + " Bearer <token>; Prometheus: authorization: credentials). false: they stay open for scrapers and"
            + " health checks.");
    public static final Setting MANAGEMENT_CONSOLE_TRAFFIC_PER_SECOND = declare(
            "skynet.management.console-traffic-per-second", "200",
            "Messages a second the console's traffic view samples while it is open; the rest are counted as"
            + " skipped (delivery is never slowed).");
    public static final Setting LOG_LEVEL = declare("skynet.log.level", "INFO",
            "Level of the gateway's own lines and Camel's: TRACE, DEBUG, INFO, WARN, ERROR or OFF.");
    public static final Setting LOG_LEVELS = declare("skynet.log.levels", "",
            "Levels of other loggers, name=LEVEL pairs, comma-separated; a name covers the dotted names below it"
            + " (com.hivemq=DEBUG,io.netty=INFO). root=LEVEL sets every logger not named (WARN unless set).");
    public static final Setting ROUTES_DIR = declare("skynet.routes.dir", "routes",
            "Folder whose *.yaml files (Camel YAML DSL) are loaded as routes.");

    // --- MQTT (bridge.mqtt): the gateway's MQTT broker ---
    public static final Setting MQTT_URL = declare("skynet.mqtt.url", "",
            "External MQTT broker (tcp://host:1883, ssl://, ws://, wss://). Empty: use the embedded broker."
            + " Setting it turns the embedded broker off.");
    public static final Setting MQTT_EMBEDDED_ENABLED = declare("skynet.mqtt.embedded.enabled", "true",
            "Run the embedded MQTT 5 broker (HiveMQ CE) when skynet.mqtt.url is empty.");
    public static final Setting MQTT_EMBEDDED_HOST = declare("skynet.mqtt.embedded.host", "127.0.0.1",
            "Address the embedded MQTT broker binds to; 0.0.0.0 lets other machines connect (no authentication).");
    public static final Setting MQTT_EMBEDDED_PORT = declare("skynet.mqtt.embedded.port", "1884",
            "Port of the embedded MQTT broker (1884, so it does not collide with a local Mosquitto on 1883).");
    public static final Setting MQTT_EMBEDDED_DATA_DIR = declare("skynet.mqtt.embedded.data-dir", "",
            "Folder where the embedded broker keeps sessions and retained messages across restarts. Empty: in"
            + " memory only.");
    public static final Setting MQTT_EMBEDDED_MAX_QUEUED_MESSAGES = declare("skynet.mqtt.embedded.max-queued-messages",
            String.valueOf(EmbeddedMqttBroker.DEFAULT_MAX_QUEUED_MESSAGES),
            "QoS 1 and 2 messages the embedded broker holds for one slow or disconnected subscriber; past it, new"
            + " messages for that subscriber are dropped.");
    public static final Setting MQTT_EMBEDDED_BRIDGE_MAX_QUEUED_MESSAGES = declare(
            "skynet.mqtt.embedded.bridge-max-queued-messages",
            String.valueOf(dev.skynetbridge.broker.EmbeddedMqttBrokerOptions.DEFAULT_BRIDGE_MAX_QUEUED_MESSAGES),
            "QoS 1 and 2 messages the embedded broker holds for the gateway's own bridge subscriptions (client id"
            + " skynet-bridge-...), where everything MQTT sends into Skynet waits while a bridge's route catches up;"
            + " past it, new messages for that bridge are dropped (counted, WARN). Up to ~1.2 KiB of heap per queued"
            + " small message.");
    public static final Setting MQTT_EMBEDDED_SERVER_RECEIVE_MAXIMUM = declare(
            "skynet.mqtt.embedded.server-receive-maximum",
            String.valueOf(dev.skynetbridge.broker.EmbeddedMqttBrokerOptions.DEFAULT_SERVER_RECEIVE_MAXIMUM),
            "QoS 1 and 2 messages one MQTT 5 client may publish to the embedded broker before waiting for their"
            + " acknowledgements (1-65535, the Receive Maximum of the broker's CONNACK). HiveMQ CE's own 10 capped a"
            + " QoS 1 publisher at a few thousand messages a second on a busy machine.");
    public static final Setting MQTT_EMBEDDED_QOS0_MEMORY_PER_CLIENT = declare(
            "skynet.mqtt.embedded.qos0-memory-per-client",
            String.valueOf(dev.skynetbridge.broker.EmbeddedMqttBrokerOptions.DEFAULT_QOS0_MEMORY_PER_CLIENT),
            "Bytes of QoS 0 messages the embedded broker holds for one subscriber that reads slower than they arrive;"
            + " past it, new QoS 0 messages for that subscriber are dropped (counted, WARN).");
    public static final Setting MQTT_EMBEDDED_MAX_INFLIGHT_MESSAGES = declare(
            "skynet.mqtt.embedded.max-inflight-messages", String.valueOf(EmbeddedMqttBroker.DEFAULT_MAX_INFLIGHT_MESSAGES),
            "QoS 1 and 2 messages the embedded broker sends one subscriber before waiting for its acknowledgements"
            + " (1-65535; a client's MQTT 5 Receive Maximum lowers it). Too low caps what a QoS 1/2 subscriber can"
            + " receive and its queue overflows.");
    public static final Setting MQTT_INBOUND_QUEUE_SIZE = declare("skynet.mqtt.inbound-queue-size",
            String.valueOf(dev.skynetbridge.mqtt.MqttLinkOptions.DEFAULT_INBOUND_QUEUE_SIZE),
            "Incoming QoS 0 messages each MQTT bridge connection holds while its route into Skynet is slower than they"
            + " arrive, e.g. the first seconds after a start (1-65535; it is also the MQTT 5 Receive Maximum the"
            + " connection announces). Past it the oldest are dropped (counted in skynet.mqtt.client.dropped, WARN)."
            + " QoS 1 and 2 wait in the broker instead. About 0.35 KiB of heap per queued small message.");
    public static final Setting MQTT_TOPIC_PREFIX = declare("skynet.mqtt.topic-prefix", "skynet",
            "Topic prefix of the default bridge (routes/mqtt-bridge.yaml): <prefix>/n/<number>, <prefix>/s/<name>.");
    // --- end MQTT ---

    // --- Home Assistant MQTT discovery (bridge.homeassistant) ---
    public static final Setting HOMEASSISTANT_FILE = declare("skynet.homeassistant.file", "config/homeassistant.yaml",
            "Devices and entities announced to Home Assistant by MQTT discovery (docs/home-assistant.md). No file:"
            + " no discovery.");
    public static final Setting HOMEASSISTANT_STATE_FILE = declare("skynet.homeassistant.state-file",
            "data/homeassistant-published.json",
            "Where the gateway remembers the discovery configs it published, so entities removed from the file are"
            + " deleted from Home Assistant at the next start.");

    // --- HTTP server for webhooks into Skynet (platform-http: routes, Kamelet skynet-webhook-source) ---
    public static final Setting HTTP_ENABLED = declare("skynet.http.enabled", "true",
            "Run the HTTP server that platform-http: routes (POST /hooks/<name>) listen on.");
    public static final Setting HTTP_HOST = declare("skynet.http.host", "0.0.0.0",
            "Address the HTTP server binds to.");
    public static final Setting HTTP_PORT = declare("skynet.http.port", "8080",
            "Port of the HTTP server (0 = any free port).");
    public static final Setting HTTP_MAX_BODY_SIZE = declare("skynet.http.max-body-size", "1048576",
            "Largest HTTP request body read at all, in bytes; larger requests get a JSON 413. Each hook may set a lower limit.");

    // --- Cluster: several gateways serve one Skynet over NATS (server.cluster) ---
    public static final Setting CLUSTER_NATS_URL = declare("skynet.cluster.nats-url", "",
            "NATS servers that join the gateways into one Skynet (nats://host:4222, tls://host:4222, credentials as"
            + " nats://user:password@host:4222; several comma-separated). Set the same on every gateway. Empty: this"
            + " gateway is on its own.");
    public static final Setting CLUSTER_NODE_ID = declare("skynet.cluster.node-id", "",
            "This gateway's name in the cluster's logs, metrics, health details, console header and every gateway's"
            + " cluster view; each gateway needs its own. Empty: the host name"
            + " and the Skynet server port (host:3030).");
    public static final Setting CLUSTER_CREDENTIALS_FILE = declare("skynet.cluster.credentials-file", "",
            "A NATS .creds file (user JWT and NKey seed) for NATS servers that use decentralized auth, or a file with"
            + " a user's NKey seed (SU...) for an NKey user. Empty: none.");
    public static final Setting CLUSTER_TLS_CA_FILE = declare("skynet.cluster.tls-ca-file", "",
            "PEM certificates (a private CA) to trust for tls:// NATS servers. Empty: the JVM's trust store.");
    public static final Setting CLUSTER_SUBJECT_PREFIX = declare("skynet.cluster.subject-prefix",
            ClusterOptions.DEFAULT_SUBJECT_PREFIX,
            "First NATS subject token(s) of the cluster's messages; two clusters on one NATS need different ones.");
    public static final Setting CLUSTER_BUFFER_BYTES = declare("skynet.cluster.buffer-bytes",
            String.valueOf(ClusterOptions.DEFAULT_BUFFER_BYTES),
            "Bytes of messages for the other gateways kept while NATS is unreachable; past it new ones are dropped"
            + " (counted, logged). Local clients are served all the while.");
    public static final Setting CLUSTER_SEND_LINGER_MS = declare("skynet.cluster.send-linger-ms", "0",
            "Milliseconds a batch of messages for the other gateways stays open for more (0 to "
            + ClusterOptions.MAX_SEND_LINGER_MILLIS + "). 0: what one read of a client's socket brought goes out at"
            + " once, as one NATS message. More trades latency for CPU under steady traffic (docs/cluster.md).");
    public static final Setting CLUSTER_ANNOUNCE_INTERVAL_MS = declare("skynet.cluster.announce-interval-ms",
            String.valueOf(ClusterOptions.DEFAULT_ANNOUNCE_INTERVAL_MILLIS),
            "Milliseconds between this gateway's announcements of itself to the others (" 
            + ClusterOptions.MIN_ANNOUNCE_INTERVAL_MILLIS + " to " + ClusterOptions.MAX_ANNOUNCE_INTERVAL_MILLIS
            + "): the console's cluster view lists every gateway that announces itself, and one silent for three"
            + " of its intervals as missing.");

    // --- Kafka bridges ---
    public static final Setting KAFKA_BROKERS = declare("skynet.kafka.brokers", "localhost:9092",
            "Kafka bootstrap servers (host:port,...) the Kafka route files use as {{skynet.kafka.brokers}}.");

    private static Setting declare(String key, String defaultValue, String description) {
        Setting setting = new Setting(key, defaultValue, description);
        ALL.add(setting);
        return setting;
    }

    public static List<Setting> all() {
        return Collections.unmodifiableList(ALL);
    }

    private final Function<String, Optional<String>> fileLookup;
    private final Map<String, String> environment;

    /**
     * @param fileLookup the configuration file's value for a key, placeholders resolved
     * @param environment the process environment (a parameter so tests can supply their own)
     */
    public GatewaySettings(Function<String, Optional<String>> fileLookup, Map<String, String> environment) {
        this.fileLookup = fileLookup;
        this.environment = environment;
    }

    /**
     * The configuration file as written, placeholders not resolved (for what starts before Camel reads it); empty
     * when there is no such file.
     */
    static Properties readFile(Path configFile) throws IOException {
        Properties file = new Properties();
        if (Files.isRegularFile(configFile)) {
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            }
        }
        return file;
    }

    public String get(Setting setting) {
        String fromEnvironment = environment.get(setting.environmentVariable());
        if (fromEnvironment != null) {
            return fromEnvironment.trim();
        }
        String fromSystem = System.getProperty(setting.key());
        if (fromSystem != null) {
            return fromSystem.trim();
        }
        return fileLookup.apply(setting.key()).map(String::trim).orElse(setting.defaultValue());
    }

    public boolean getBoolean(Setting setting) {
        String value = get(setting).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(setting, value, "true or false");
        };
    }

    public int getInt(Setting setting) {
        String value = get(setting);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(setting, value, "a whole number");
        }
    }

    public int getPositiveInt(Setting setting) {
        int value = getInt(setting);
        if (value < 1) {
            throw invalid(setting, String.valueOf(value), "a whole number of at least 1");
        }
        return value;
    }

    private IllegalArgumentException invalid(Setting setting, String value, String expected) {
        return new IllegalArgumentException("Setting " + setting.key() + " (env " + setting.environmentVariable()
                + ") is '" + value + "'; expected " + expected);
    }

    /** The embedded server's options, validated. */
    public ServerOptions serverOptions() {
        try {
            return new ServerOptions()
                    .host(get(SERVER_HOST))
                    .port(getInt(SERVER_PORT))
                    .maxFrameSize(getInt(SERVER_MAX_FRAME_SIZE))
                    .sendQueueLimit(getInt(SERVER_SEND_QUEUE_LIMIT))
                    .overflowPolicy(overflowPolicy())
                    .v1LogSize(getInt(SERVER_V1_LOG_SIZE))
                    .tls(get(SERVER_TLS_CERT), get(SERVER_TLS_KEY))
                    .limits(limits())
                    .accessFile(get(SERVER_ACL_FILE))
                    .validated();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid setting: " + e.getMessage(), e);
        }
    }

    /** skynet.management.observe-token-required, which needs a token to require. */
    public boolean observeTokenRequired() {
        boolean required = getBoolean(MANAGEMENT_OBSERVE_TOKEN_REQUIRED);
        if (required && get(MANAGEMENT_TOKEN).isEmpty()) {
            throw new IllegalArgumentException("Invalid setting: " + MANAGEMENT_OBSERVE_TOKEN_REQUIRED.key() + " (env "
                    + MANAGEMENT_OBSERVE_TOKEN_REQUIRED.environmentVariable() + ") is true but "
                    + MANAGEMENT_TOKEN.key() + " (env " + MANAGEMENT_TOKEN.environmentVariable()
                    + ") is empty: set the token, or set " + MANAGEMENT_OBSERVE_TOKEN_REQUIRED.key() + " to false");
        }
        return required;
    }

    /** skynet.log.level and skynet.log.levels, validated. */
    public LogLevels logLevels() {
        String level = get(LOG_LEVEL);
        String levels = get(LOG_LEVELS);
        try {
            LogLevels.parse(level, "");
        } catch (IllegalArgumentException e) {
            throw invalid(LOG_LEVEL, level, "TRACE, DEBUG, INFO, WARN, ERROR or OFF");
        }
        try {
            return LogLevels.parse(level, levels);
        } catch (IllegalArgumentException e) {
            throw invalid(LOG_LEVELS, levels, "name=LEVEL pairs, comma-separated, e.g. com.hivemq=DEBUG,root=WARN ("
                    + e.getMessage() + ")");
        }
    }

    /** skynet.mqtt.inbound-queue-size, validated (an MQTT 5 Receive Maximum: 1-65535). */
    public int mqttInboundQueueSize() {
        int value = getInt(MQTT_INBOUND_QUEUE_SIZE);
        if (value < 1 || value > dev.skynetbridge.mqtt.MqttLinkOptions.MAX_INBOUND_QUEUE_SIZE) {
            throw invalid(MQTT_INBOUND_QUEUE_SIZE, String.valueOf(value), "1 to "
                    + dev.skynetbridge.mqtt.MqttLinkOptions.MAX_INBOUND_QUEUE_SIZE + " (the MQTT 5 Receive Maximum)");
        }
        return value;
    }

    /** Whether skynet.cluster.nats-url is set. */
    public boolean clusterEnabled() {
        return !get(CLUSTER_NATS_URL).isEmpty();
    }

    /**
     * The cluster link's options, validated.
     *
     * @param defaultNodeId the node id when skynet.cluster.node-id is empty
     */
    public ClusterOptions clusterOptions(String defaultNodeId) {
        try {
            String nodeId = get(CLUSTER_NODE_ID);
            String credentials = get(CLUSTER_CREDENTIALS_FILE);
            String caFile = get(CLUSTER_TLS_CA_FILE);
            return new ClusterOptions(ClusterOptions.parseUrls(get(CLUSTER_NATS_URL)),
                    nodeId.isEmpty() ? defaultNodeId : nodeId, get(CLUSTER_SUBJECT_PREFIX),
                    getLong(CLUSTER_BUFFER_BYTES), credentials.isEmpty() ? null : java.nio.file.Path.of(credentials),
                    getLong(CLUSTER_SEND_LINGER_MS), getLong(CLUSTER_ANNOUNCE_INTERVAL_MS),
                    caFile.isEmpty() ? null : java.nio.file.Path.of(caFile));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid setting: " + e.getMessage() + " (" + CLUSTER_NATS_URL.key()
                    + " and the other skynet.cluster.* settings, docs/cluster.md)", e);
        }
    }

    private ConnectionLimits limits() {
        return new ConnectionLimits(getInt(SERVER_LIMIT_CHANNELS_PER_CONNECTION),
                getLong(SERVER_LIMIT_MESSAGES_PER_SECOND), getLong(SERVER_LIMIT_MESSAGE_BURST),
                getLong(SERVER_LIMIT_BYTES_PER_SECOND), getLong(SERVER_LIMIT_BYTE_BURST),
                getInt(SERVER_LIMIT_CONNECTIONS_PER_ADDRESS), getInt(SERVER_LIMIT_CONNECTIONS));
    }

    public long getLong(Setting setting) {
        String value = get(setting);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(setting, value, "a whole number");
        }
    }

    private OverflowPolicy overflowPolicy() {
        String value = get(SERVER_OVERFLOW_POLICY);
        return switch (value.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "drop-oldest" -> OverflowPolicy.DROP_OLDEST;
            case "close" -> OverflowPolicy.CLOSE;
            default -> throw invalid(SERVER_OVERFLOW_POLICY, value, "drop-oldest or close");
        };
    }
}
