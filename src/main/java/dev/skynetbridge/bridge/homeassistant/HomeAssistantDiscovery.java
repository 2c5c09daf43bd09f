package dev.skynetbridge.bridge.homeassistant;

import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.camel.mqtt.SkynetMqttEndpoint;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.support.GatewayVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a Home Assistant file's discovery configs through its MQTT bridge's own connection, retained at QoS 1;
 * publishes them again when Home Assistant announces {@code online} on {@code <prefix>/status}; deletes (an empty
 * retained config) what an earlier start published and the file no longer has ({@link PublishedTopics}).
 *
 * <p>It holds a lease on the bridge's link, so the link (and its status topic) lives as long as discovery does; the
 * link's clean stop leaves {@code offline} retained.
 */
public final class HomeAssistantDiscovery extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HomeAssistantDiscovery.class);
    /** Home Assistant's birth message; several within this time are answered by one re-publish. */
    static final long REPUBLISH_DELAY_MS = 1_000;
    static final String HA_ONLINE = "online";

    private final CamelContext context;
    private final HomeAssistantFile file;
    private final SkynetMqttEndpoint bridgeEndpoint;
    private final PublishedTopics published;
    private final AtomicBoolean republishPending = new AtomicBoolean();
    private final LongAdder republishes = new LongAdder();
    private List<DiscoveryMessages.Message> messages;
    private SkynetMqttComponent.BridgeLease lease;
    private Runnable unsubscribe;
    private ScheduledExecutorService executor;
    private final CompletableFuture<Void> firstPublication = new CompletableFuture<>();

    HomeAssistantDiscovery(CamelContext context, HomeAssistantFile file, SkynetMqttEndpoint bridgeEndpoint,
                           PublishedTopics published) {
        this.context = context;
        this.file = file;
        this.bridgeEndpoint = bridgeEndpoint;
        this.published = published;
    }

    /**
     * Reads the Home Assistant file now (a bad one throws {@link HomeAssistantFileException}) and, once the routes
     * exist, checks its bridge and (unless only validating) starts discovery on it.
     *
     * @param fileSetting      the file, as configured
     * @param explicitlySet    the setting was given (a missing file is then an error, not "no discovery")
     * @param stateFile        where the published topics are remembered
     * @param validateOnly     check, but publish nothing
     */
    public static void install(CamelContext context, String fileSetting, boolean explicitlySet, String stateFile,
                               boolean validateOnly) {
        if (fileSetting.isEmpty()) {
            return;
        }
        Path path = Path.of(fileSetting);
        if (!Files.isRegularFile(path)) {
            if (explicitlySet) {
                throw new HomeAssistantFileException(fileSetting + ":1: the Home Assistant file does not exist; create"
                        + " it (see docs/home-assistant.md) or unset skynet.homeassistant.file");
            }
            LOG.debug("No {}: Home Assistant discovery is off", fileSetting);
            return;
        }
        HomeAssistantFile file = HomeAssistantFileParser.read(path, fileSetting);
        try {
            context.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                    SkynetMqttEndpoint endpoint = BridgeLookup.find(started, file);
                    if (validateOnly) {
                        return;
                    }
                    started.addService(new HomeAssistantDiscovery(started, file, endpoint,
                            new PublishedTopics(Path.of(stateFile))), true, true);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Cannot set up Home Assistant discovery: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doStart() throws Exception {
        lease = bridgeEndpoint.getComponent().lease(bridgeEndpoint);
        messages = DiscoveryMessages.build(file, new DiscoveryMessages.Bridge(file.bridge(), lease.mapping(),
                lease.availability()), GatewayVersion.get());
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "homeassistant");
        if (!lease.availability().enabled()) {
            LOG.warn("{}: bridge {} has no status topic (statusTopic is empty), so Home Assistant cannot show its"
                     + " entities unavailable when the gateway is gone", file.source(), file.bridge());
        }
        publishAtStart();
        unsubscribe = lease.link().subscribe(file.discoveryPrefix() + "/status", 1, this::onHomeAssistantStatus);
    }

    @Override
    protected void doStop() throws Exception {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    /** Every config, plus the deletions of what an earlier start published and the file lost. */
    private void publishAtStart() {
        MqttLink link = lease.link();
        Set<String> current = new LinkedHashSet<>();
        messages.forEach(message -> current.add(message.topic()));
        Set<String> before = published.read();
        Set<String> removed = new LinkedHashSet<>(before);
        removed.removeAll(current);
        // Remember the removed ones too until the broker has their deletion: a stop before that must not forget them.
        Set<String> remembered = new LinkedHashSet<>(before);
        remembered.addAll(current);
        published.write(remembered, link.brokerUrl(), file.bridge());

        List<CompletableFuture<Void>> confirmations = new ArrayList<>();
        for (DiscoveryMessages.Message message : messages) {
            confirmations.add(link.publishConfirmed(config(message.topic(), JsonValues.toJsonBytes(message.payload()))));
        }
        for (String topic : removed) {
            confirmations.add(link.publishConfirmed(config(topic, new byte[0])));
        }
        LOG.info("Home Assistant discovery: {} entities of {} devices from {} on bridge {} ({} on {}){}",
                file.entityCount(), file.devices().size(), file.source(), file.bridge(), file.discoveryPrefix(),
                link.brokerUrl(), removed.isEmpty() ? "" : "; deleting " + removed.size()
                        + " entities no longer in the file");
        CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new)).whenCompleteAsync((done, failure) -> {
            if (failure != null) {
                LOG.warn("Home Assistant discovery: not every config reached {} ({}); they are published again when"
                         + " Home Assistant comes online, deletions at the next start", link.brokerUrl(),
                        failure.getMessage());
                firstPublication.completeExceptionally(failure);
                return;
            }
            published.write(current, link.brokerUrl(), file.bridge());
            LOG.info("Home Assistant discovery: {} configs on {}{}", messages.size(), link.brokerUrl(),
                    removed.isEmpty() ? "" : ", " + removed.size() + " removed entities deleted");
            firstPublication.complete(null);
        }, executor);
    }

    private void onHomeAssistantStatus(MqttLink.Incoming message) {
        if (!HA_ONLINE.equals(message.payloadText().trim())) {
            return;
        }
        // On the MQTT client's thread: only schedule. A burst of births is answered once.
        if (republishPending.compareAndSet(false, true)) {
            executor.schedule(this::republish, REPUBLISH_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void republish() {
        republishPending.set(false);
        MqttLink link = lease == null ? null : lease.link();
        if (link == null) {
            return;
        }
        for (DiscoveryMessages.Message message : messages) {
            link.publish(config(message.topic(), JsonValues.toJsonBytes(message.payload())));
        }
        republishes.increment();
        LOG.info("Home Assistant announced online on {}/status: {} discovery configs published again",
                file.discoveryPrefix(), messages.size());
    }

    private static MqttLink.Outgoing config(String topic, byte[] payload) {
        return new MqttLink.Outgoing(topic, payload, 1, true, payload.length == 0 ? null : "application/json",
                Map.of());
    }

    /** Completes once the broker has every config and deletion of the start. */
    public CompletableFuture<Void> firstPublication() {
        return firstPublication;
    }

    /** Times Home Assistant's {@code online} led to a re-publish. */
    public long republishCount() {
        return republishes.sum();
    }
}
