package dev.skynetbridge.app;

import dev.skynetbridge.broker.EmbeddedMqttBrokerOptions;

import dev.skynetbridge.bridge.mqtt.SkynetMqttBridgeTemplates;
import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.SkynetServer;
import dev.skynetbridge.server.cluster.ClusterLink;
import dev.skynetbridge.server.acl.AccessFile;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway runs besides Camel routes: one Vert.x instance and the embedded Skynet
 * server with its hub. The hub and Vert.x are bound into Camel's registry, where the
 * {@code skynet:} component finds them.
 */
public final class EmbeddedServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);
    /** The skynet-kafka-replay-source Kamelet's default of startOncePerGroup: true in a cluster. */
    static final String REPLAY_START_ONCE_PER_GROUP_PROPERTY = "skynet.kafka.replay-start-once-per-group";

    private final Vertx vertx;
    private final SkynetHub hub;
    private SkynetServer server;
    private ClusterLink clusterLink;
    private String nodeId;
    private EmbeddedMqttBroker mqttBroker;
    private String mqttBrokerUrl = "";
    private java.util.concurrent.CompletableFuture<Void> mqttBrokerStarted;

    private EmbeddedServices(Vertx vertx, SkynetHub hub, SkynetServer server) {
        this.vertx = vertx;
        this.hub = hub;
        this.server = server;
    }

    /**
     * Starts everything the settings ask for; throws with a clear message if a port is taken. The embedded MQTT
     * broker goes first and on a thread of its own (see {@link #awaitBackgroundStarts()}): its cold start is the
     * longest piece of the gateway's.
     */
    public static EmbeddedServices start(GatewaySettings settings) {
        return start(settings, null);
    }

    /** @param early the broker started before Camel, adopted when its options are the ones asked for here */
    static EmbeddedServices start(GatewaySettings settings, EarlyBrokerStart early) {
        ServerOptions serverOptions = settings.serverOptions();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (vertx.isNativeTransportEnabled()) {
            LOG.debug("Network transport: Netty epoll");
        } else {
            LOG.info("Network transport: Java NIO (Netty's native epoll transport is unavailable here: {})",
                    vertx.unavailableNativeTransportCause() == null ? "not on the classpath"
                            : vertx.unavailableNativeTransportCause().getMessage());
        }
        EmbeddedServices services = new EmbeddedServices(vertx, new SkynetHub(serverOptions.v1LogSize()), null);
        try {
            services.startMqtt(settings, early);
            if (settings.getBoolean(GatewaySettings.SERVER_ENABLED)) {
                services.server = new SkynetServer(vertx, serverOptions, services.hub);
                services.server.start();
            } else {
                LOG.info("Embedded Skynet server disabled ({}=false): skynet: endpoints without a server option stay"
                         + " in-process", GatewaySettings.SERVER_ENABLED.key());
            }
            String configuredNodeId = settings.get(GatewaySettings.CLUSTER_NODE_ID);
            services.nodeId = configuredNodeId.isEmpty() ? defaultNodeId(services) : configuredNodeId;
            if (settings.clusterEnabled()) {
                services.clusterLink = new ClusterLink(settings.clusterOptions(services.nodeId), services.hub,
                        vertx, services.server == null ? null : services.server.context());
                services.clusterLink.start();
            }
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    /** Host name and Skynet server port: unique per gateway on one machine and readable in logs. */
    private static String defaultNodeId(EmbeddedServices services) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "gateway";
        }
        return host + ":" + services.skynetPort();
    }

    /** The external broker when skynet.mqtt.url is set; else the embedded one, if enabled. */
    private void startMqtt(GatewaySettings settings, EarlyBrokerStart early) {
        if (early != null && embeddedBrokerOptions(settings) == null) {
            early.discard(); // the gateway's own reading of the settings asks for no embedded broker
        }
        String external = settings.get(GatewaySettings.MQTT_URL);
        if (!external.isEmpty()) {
            mqttBrokerUrl = external;
            LOG.info("MQTT broker: {} ({}); the embedded broker stays off", external, GatewaySettings.MQTT_URL.key());
            return;
        }
        if (settings.clusterEnabled() && settings.getBoolean(GatewaySettings.MQTT_EMBEDDED_ENABLED)) {
            LOG.warn("Cluster mode ({} is set) with the embedded MQTT broker: the embedded broker does not cluster,"
                     + " each gateway's is its own and MQTT clients see only the traffic bridged on the node they"
                     + " connect to. Set {} to one external broker on every gateway (docs/cluster.md)",
                    GatewaySettings.CLUSTER_NATS_URL.key(), GatewaySettings.MQTT_URL.key());
        }
        if (!settings.getBoolean(GatewaySettings.MQTT_EMBEDDED_ENABLED)) {
            LOG.info("No MQTT broker: {} is empty and {}=false", GatewaySettings.MQTT_URL.key(),
                    GatewaySettings.MQTT_EMBEDDED_ENABLED.key());
            return;
        }
        EmbeddedMqttBrokerOptions options = embeddedBrokerOptions(settings);
        java.util.Optional<EarlyBrokerStart> adopted = early == null ? java.util.Optional.empty() : early.adopt(options);
        if (adopted.isPresent()) {
            mqttBroker = adopted.get().broker();
            mqttBrokerStarted = adopted.get().started();
        } else {
            mqttBroker = new EmbeddedMqttBroker(options);
            mqttBrokerStarted = mqttBroker.startInBackground();
        }
        mqttBrokerUrl = mqttBroker.serverUri();
    }

    /** The embedded broker's options, or null when the settings ask for an external broker or none. */
    static EmbeddedMqttBrokerOptions embeddedBrokerOptions(GatewaySettings settings) {
        if (!settings.get(GatewaySettings.MQTT_URL).isEmpty()
                || !settings.getBoolean(GatewaySettings.MQTT_EMBEDDED_ENABLED)) {
            return null;
        }
        EmbeddedMqttBrokerOptions options = EmbeddedMqttBrokerOptions.defaults()
                .withBindHost(settings.get(GatewaySettings.MQTT_EMBEDDED_HOST))
                .withPort(settings.getInt(GatewaySettings.MQTT_EMBEDDED_PORT))
                .withMaxQueuedMessages(settings.getPositiveInt(GatewaySettings.MQTT_EMBEDDED_MAX_QUEUED_MESSAGES))
                .withMaxInflightMessages(settings.getPositiveInt(GatewaySettings.MQTT_EMBEDDED_MAX_INFLIGHT_MESSAGES))
                .withQos0MemoryPerClient(settings.getPositiveInt(GatewaySettings.MQTT_EMBEDDED_QOS0_MEMORY_PER_CLIENT))
                .withBridgeClients(dev.skynetbridge.camel.mqtt.SkynetMqttComponent.CLIENT_ID_PREFIX,
                        settings.getPositiveInt(GatewaySettings.MQTT_EMBEDDED_BRIDGE_MAX_QUEUED_MESSAGES))
                .withServerReceiveMaximum(settings.getPositiveInt(GatewaySettings.MQTT_EMBEDDED_SERVER_RECEIVE_MAXIMUM));
        String dataDir = settings.get(GatewaySettings.MQTT_EMBEDDED_DATA_DIR);
        if (!dataDir.isEmpty()) {
            options = options.withDataFolder(java.nio.file.Path.of(dataDir))
                    .withPersistence(EmbeddedMqttBrokerOptions.Persistence.FILE);
        }
        return options;
    }

    /**
     * Waits for what start() left starting in the background (the embedded MQTT broker); called once Camel
     * has started, so the broker's start overlaps the routes'. A broker that failed to start ends start-up.
     */
    public void awaitBackgroundStarts() {
        if (mqttBrokerStarted == null) {
            return;
        }
        try {
            mqttBrokerStarted.get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("The embedded MQTT broker did not start within 2 minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the embedded MQTT broker started", e);
        }
    }

    /**
     * Makes the bridge settings available to route files and Kamelets as placeholders:
     * {@code {{skynet.mqtt.effective-url}}} (the broker routes should use), {@code {{skynet.mqtt.topic-prefix}}}
     * and {@code {{skynet.kafka.brokers}}}, as resolved here (environment variables included).
     */
    public void publishProperties(org.apache.camel.spi.PropertiesComponent properties, GatewaySettings settings) {
        properties.addOverrideProperty(SkynetMqttBridgeTemplates.EFFECTIVE_URL_PROPERTY, mqttBrokerUrl);
        // In a cluster every gateway runs the same bridges: each MQTT message must enter Skynet on one of them.
        properties.addOverrideProperty(SkynetMqttBridgeTemplates.SHARED_SUBSCRIPTION_PROPERTY,
                String.valueOf(settings.clusterEnabled()));
        // ... and a Kafka replay run by every gateway in one consumer group must not start a partition again that
        // another gateway already read: it moves between them at every start, stop or restart of one.
        properties.addOverrideProperty(REPLAY_START_ONCE_PER_GROUP_PROPERTY, String.valueOf(settings.clusterEnabled()));
        properties.addOverrideProperty(GatewaySettings.MQTT_TOPIC_PREFIX.key(),
                settings.get(GatewaySettings.MQTT_TOPIC_PREFIX));
        // The Kafka Kamelets' default brokers, with the setting's own default when the file does not set it.
        properties.addOverrideProperty(GatewaySettings.KAFKA_BROKERS.key(), settings.get(GatewaySettings.KAFKA_BROKERS));
    }

    /** tcp://... of the broker the gateway uses, or empty when there is none. */
    public String mqttBrokerUrl() {
        return mqttBrokerUrl;
    }

    /** Completes when the embedded MQTT broker listens (or failed to start); null when there is none. */
    public java.util.concurrent.CompletionStage<Void> mqttBrokerStarted() {
        return mqttBrokerStarted;
    }

    /** The embedded MQTT broker, or null when it is not running. */
    public EmbeddedMqttBroker mqttBroker() {
        return mqttBroker;
    }

    /**
     * For the validate command: the settings are checked and a hub is bound for the skynet:
     * component, but nothing listens and no thread is started.
     */
    public static EmbeddedServices forValidation(GatewaySettings settings) {
        ServerOptions serverOptions = settings.serverOptions();
        if (settings.getBoolean(GatewaySettings.SERVER_ENABLED) && serverOptions.accessFile() != null) {
            AccessFile.load(serverOptions.accessFile()); // a problem is reported as file:line: problem
        }
        if (settings.clusterEnabled()) {
            settings.clusterOptions("validate"); // a bad NATS URL or buffer size is reported here, not at start
        }
        EmbeddedServices services = new EmbeddedServices(null, new SkynetHub(serverOptions.v1LogSize()), null);
        String external = settings.get(GatewaySettings.MQTT_URL);
        // The broker the routes would use; nothing connects to it while validating.
        services.mqttBrokerUrl = !external.isEmpty() ? external
                : "tcp://" + settings.get(GatewaySettings.MQTT_EMBEDDED_HOST) + ":"
                  + settings.getInt(GatewaySettings.MQTT_EMBEDDED_PORT);
        return services;
    }

    public void bindInto(Registry registry) {
        registry.bind("skynetHub", SkynetHub.class, hub);
        if (vertx != null) {
            registry.bind("vertx", Vertx.class, vertx);
        }
    }

    public SkynetHub hub() {
        return hub;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The embedded Skynet server, or null when it is disabled. */
    public SkynetServer server() {
        return server;
    }

    /** The link to the other gateways, or null when skynet.cluster.nats-url is empty. */
    public ClusterLink clusterLink() {
        return clusterLink;
    }

    /**
     * This gateway's name: skynet.cluster.node-id, or the host name and Skynet port; the console shows it with or
     * without a cluster. Null when only validating.
     */
    public String nodeId() {
        return nodeId;
    }

    /** The embedded server's port, or -1 when it is disabled. */
    public int skynetPort() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public void close() {
        if (clusterLink != null) {
            clusterLink.close();
            clusterLink = null;
        }
        if (mqttBroker != null) {
            mqttBroker.stop();
            mqttBroker = null;
        }
        if (server != null) {
            server.stop();
        }
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
