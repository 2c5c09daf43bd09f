package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.WholeNumberOptions;
import dev.skynetbridge.mqtt.ChannelTopicMapping;
import dev.skynetbridge.mqtt.MqttAvailability;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.mqtt.MqttLinkOptions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code skynet-mqtt:} component: the MQTT side of a Skynet bridge.
 *
 * <pre>
 *   skynet-mqtt:&lt;bridgeId&gt;?brokerUrl=tcp://host:1883&amp;topicPrefix=skynet
 * </pre>
 *
 * <p>Endpoints with the same broker URL and bridge id share one {@link MqttLink} (one MQTT
 * connection), so the bridge's consumer never receives what its producer published (MQTT 5 No
 * Local). The producer publishes a message from a {@code skynet:} consumer to its channel's topic
 * ({@link ChannelTopicMapping}) with the {@link MqttUserProperties}; the consumer turns messages on the
 * prefix's topics back into Skynet messages for a {@code skynet:} producer.
 *
 * <p>Why not camel-paho-mqtt5: its consumer and producer each open their own connection (so No
 * Local cannot stop a loop), it subscribes without No Local, and both fail to start while the broker
 * is down.
 */
@Component("skynet-mqtt")
public class SkynetMqttComponent extends DefaultComponent {

    /**
     * Start of every bridge connection's client id that sets none ({@code <prefix><bridgeId>-<8 hex>}); the embedded
     * broker gives clients with it their own queue size (skynet.mqtt.embedded.bridge-max-queued-messages).
     */
    public static final String CLIENT_ID_PREFIX = "skynet-bridge-";

    private static final Logger LOG = LoggerFactory.getLogger(SkynetMqttComponent.class);

    private final Map<String, SharedLink> links = new HashMap<>();
    /** Messages from MQTT the consumers did not hand to Skynet, by reason (every bridge together). */
    private final Map<InboundDiscard, LongAdder> discards = new EnumMap<>(Map.of(
            InboundDiscard.OWN_MESSAGE, new LongAdder(), InboundDiscard.HOP_LIMIT, new LongAdder(),
            InboundDiscard.NOT_A_CHANNEL, new LongAdder(), InboundDiscard.BAD_PAYLOAD, new LongAdder()));
    private ScheduledExecutorService scheduler;
    /**
     * False: links are created but never connect (the gateway's validate command): checking the routes must not touch
     * the broker, least of all leave "offline" retained on the status topic of a gateway that is running.
     */
    @org.apache.camel.spi.Metadata(label = "advanced", defaultValue = "true",
              description = "Whether bridge links connect to their broker; false only checks the endpoints (validate).")
    private boolean startLinks = true;
    /** Every link's bound of incoming QoS 0 messages waiting for its route; the gateway sets it from its setting. */
    @org.apache.camel.spi.Metadata(label = "consumer", defaultValue = "50000",
              description = "Incoming QoS 0 messages each bridge connection holds while its route into Skynet is slower"
                            + " than they arrive (1-65535, also the MQTT 5 Receive Maximum it announces); past it the"
                            + " oldest are dropped, counted and logged. The gateway sets it from"
                            + " skynet.mqtt.inbound-queue-size.")
    private int inboundQueueSize = MqttLinkOptions.DEFAULT_INBOUND_QUEUE_SIZE;
    private final Map<String, CompletionStage<?>> brokerReadiness = new ConcurrentHashMap<>();

    private static final class SharedLink {
        final MqttLink link;
        final String bridgeId;
        /** From the endpoint that created the link: the bridge's topics, as its first endpoint defines them. */
        final ChannelTopicMapping mapping;
        /** Takes the bridge out of {@link Bridges} (its meters) when the link closes. */
        Runnable removeFromBridges = () -> { };
        int users;

        SharedLink(MqttLink link, String bridgeId, ChannelTopicMapping mapping) {
            this.link = link;
            this.bridgeId = bridgeId;
            this.mapping = mapping;
        }
    }

    /**
     * A bridge's link held by something other than its routes (Home Assistant discovery publishes through it): the
     * link stays open until every route and every lease has let go. {@link #close()} lets go.
     */
    public final class BridgeLease implements AutoCloseable {
        private final SkynetMqttEndpoint endpoint;
        private final MqttLink link;
        private boolean closed;

        private BridgeLease(SkynetMqttEndpoint endpoint, MqttLink link) {
            this.endpoint = endpoint;
            this.link = link;
        }

        public MqttLink link() {
            return link;
        }

        /** The bridge's channel-topic mapping: what its producer publishes to and its consumer reads. */
        public ChannelTopicMapping mapping() {
            return endpoint.mapping();
        }

        public MqttAvailability availability() {
            return link.availability();
        }

        @Override
        public void close() {
            synchronized (SkynetMqttComponent.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(endpoint, link);
        }
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SkynetMqttEndpoint endpoint = new SkynetMqttEndpoint(uri, this, remaining);
        WholeNumberOptions.check("skynet-mqtt:" + remaining, getEndpointPropertyConfigurer(), parameters);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduler = getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "skynet-mqtt-reconnect");
    }

    @Override
    protected void doStop() throws Exception {
        List<MqttLink> open;
        synchronized (this) {
            open = links.values().stream().map(shared -> shared.link).toList();
            links.values().forEach(shared -> shared.removeFromBridges.run());
            links.values().stream().map(shared -> shared.bridgeId).distinct().forEach(this::unregisterHealthCheck);
            links.clear();
        }
        open.forEach(MqttLink::close);
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        super.doStop();
    }

    /** The link for the endpoint's broker and bridge, created and started on first use. */
    synchronized MqttLink acquire(SkynetMqttEndpoint endpoint) {
        SharedLink shared = links.computeIfAbsent(key(endpoint), key -> {
            String clientId = endpoint.getClientId() != null ? endpoint.getClientId()
                    : CLIENT_ID_PREFIX + endpoint.getBridgeId() + "-" + UUID.randomUUID().toString().substring(0, 8);
            MqttLink link = new MqttLink(endpoint.getBrokerUrl(), clientId,
                    endpoint.linkOptions().withInboundQueueSize(inboundQueueSize),
                    endpoint.availability(), scheduler);
            if (startLinks) {
                startWhenBrokerReady(link, endpoint.getBrokerUrl());
            }
            registerHealthCheck(endpoint.getBridgeId());
            SharedLink created = new SharedLink(link, endpoint.getBridgeId(), endpoint.mapping());
            Bridges bridges = Bridges.of(getCamelContext());
            created.removeFromBridges = bridges.add(bridges.nameByTemplateParameter("bridgeId", endpoint.getBridgeId(),
                    "skynet-mqtt-sink", endpoint.getBridgeId()), new MqttBridgeCounters(link));
            return created;
        });
        if (!shared.link.availability().equals(endpoint.availability())
            || !shared.mapping.prefix().equals(endpoint.mapping().prefix())) {
            // One connection has one status topic and one last will: the bridge's first endpoint decides.
            LOG.warn("skynet-mqtt:{}: endpoints of this bridge disagree on topicPrefix or statusTopic ({} / {} and {}"
                     + " / {}); the first one is used for the connection's status. Give every endpoint of a bridge the"
                     + " same values.", endpoint.getBridgeId(), shared.mapping.prefix(), shared.link.availability(),
                    endpoint.mapping().prefix(), endpoint.availability());
        }
        shared.users++;
        return shared.link;
    }

    /**
     * Links to {@code brokerUrl} start connecting once {@code ready} completes (either way): the embedded broker
     * starts in the background, and a bridge connecting before it listens would greet every new user with an
     * "unreachable" WARN on the default path.
     */
    public void startLinksWhenReady(String brokerUrl, CompletionStage<?> ready) {
        brokerReadiness.put(brokerUrl, ready);
    }

    private void startWhenBrokerReady(MqttLink link, String brokerUrl) {
        CompletionStage<?> ready = brokerReadiness.get(brokerUrl);
        if (ready == null || ready.toCompletableFuture().isDone()) {
            link.start();
            return;
        }
        ready.whenComplete((started, failed) -> {
            synchronized (this) {
                if (links.values().stream().anyMatch(shared -> shared.link == link)) {
                    link.start(); // not when the route stopped and closed it meanwhile
                }
            }
        });
    }

    /**
     * Holds the link of {@code endpoint}'s bridge (creating and starting it if no route has yet), for a user outside
     * the routes. Close the lease when done.
     */
    public synchronized BridgeLease lease(SkynetMqttEndpoint endpoint) {
        return new BridgeLease(endpoint, acquire(endpoint));
    }

    synchronized void release(SkynetMqttEndpoint endpoint, MqttLink link) {
        SharedLink shared = links.get(key(endpoint));
        if (shared == null || shared.link != link) {
            return;
        }
        if (--shared.users == 0) {
            links.remove(key(endpoint));
            shared.removeFromBridges.run();
            if (links.values().stream().noneMatch(other -> other.bridgeId.equals(shared.bridgeId))) {
                unregisterHealthCheck(shared.bridgeId);
            }
            link.close();
        }
    }

    /** One readiness check per bridge ({@code skynet-mqtt-<bridgeId>}), there while the bridge has a link. */
    private void registerHealthCheck(String bridgeId) {
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null && health.getCheck(MqttBridgeHealthCheck.idFor(bridgeId)).isEmpty()) {
            health.register(new MqttBridgeHealthCheck(this, bridgeId));
        }
    }

    private void unregisterHealthCheck(String bridgeId) {
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.getCheck(MqttBridgeHealthCheck.idFor(bridgeId)).ifPresent(health::unregister);
        }
    }

    /** Every open link's state, for health reporting: connected, buffered, published, dropped. */
    public synchronized List<MqttLink.Status> linkStatuses() {
        List<MqttLink.Status> statuses = new ArrayList<>();
        links.values().forEach(shared -> statuses.add(shared.link.status()));
        return statuses;
    }

    /** The state of the open links of one bridge (one, unless the bridge's endpoints name several brokers). */
    public synchronized List<MqttLink.Status> linkStatuses(String bridgeId) {
        List<MqttLink.Status> statuses = new ArrayList<>();
        links.values().stream().filter(shared -> shared.bridgeId.equals(bridgeId))
                .forEach(shared -> statuses.add(shared.link.status()));
        return statuses;
    }

    void countDiscard(InboundDiscard reason) {
        discards.get(reason).increment();
    }

    /** Messages from MQTT that this component's consumers did not hand to Skynet, for this reason. */
    public long discarded(InboundDiscard reason) {
        return discards.get(reason).sum();
    }

    public boolean isStartLinks() {
        return startLinks;
    }

    public void setStartLinks(boolean startLinks) {
        this.startLinks = startLinks;
    }

    public int getInboundQueueSize() {
        return inboundQueueSize;
    }

    /** Applies to links created from now on. */
    public void setInboundQueueSize(int inboundQueueSize) {
        this.inboundQueueSize = MqttLinkOptions.requireInboundQueueSize(inboundQueueSize);
    }

    private static String key(SkynetMqttEndpoint endpoint) {
        return endpoint.getBrokerUrl() + "|" + endpoint.getBridgeId();
    }
}
