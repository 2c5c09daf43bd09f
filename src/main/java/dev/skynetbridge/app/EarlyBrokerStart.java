package dev.skynetbridge.app;

import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.broker.EmbeddedMqttBrokerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker started first thing in the process, before Camel Main has loaded: its cold start (1–3 s:
 * JAXB, Guice, Netty) is the longest piece of the gateway's start, and the health check waits for the bridge that
 * connects to it. The settings are read here from the environment, system properties and the settings file as it
 * stands; when the gateway's own reading of them (through Camel, placeholders resolved) asks for other broker
 * options, or for no broker, this one is stopped and the usual start takes over. Nothing here reports a problem: a
 * bad setting is reported once, by the usual start.
 */
final class EarlyBrokerStart {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyBrokerStart.class);

    private final EmbeddedMqttBroker broker;
    private final EmbeddedMqttBrokerOptions options;
    private final CompletableFuture<Void> started;
    private volatile boolean adopted;

    private EarlyBrokerStart(EmbeddedMqttBroker broker, EmbeddedMqttBrokerOptions options,
            CompletableFuture<Void> started) {
        this.broker = broker;
        this.options = options;
        this.started = started;
    }

    /** Starts the broker in the background if the settings, read plainly, clearly ask for it; null otherwise. */
    static EarlyBrokerStart begin(Path configFile) {
        try {
            Properties file = GatewaySettings.readFile(configFile);
            if (file.stringPropertyNames().stream()
                    .anyMatch(key -> key.startsWith("skynet.mqtt.") && file.getProperty(key).contains("{{"))) {
                return null; // a placeholder only Camel resolves: leave it to the usual start
            }
            GatewaySettings settings = new GatewaySettings(key -> Optional.ofNullable(file.getProperty(key)),
                    System.getenv());
            EmbeddedMqttBrokerOptions options = EmbeddedServices.embeddedBrokerOptions(settings);
            if (options == null) {
                return null;
            }
            EmbeddedMqttBroker broker = new EmbeddedMqttBroker(options);
            return new EarlyBrokerStart(broker, options, broker.startInBackground());
        } catch (IOException | RuntimeException e) {
            LOG.debug("No early start of the embedded MQTT broker: {}", e.toString());
            return null;
        }
    }

    /** The broker and its start, when it was started with exactly {@code wanted}; otherwise stops it: null. */
    Optional<EarlyBrokerStart> adopt(EmbeddedMqttBrokerOptions wanted) {
        if (options.equals(wanted)) {
            adopted = true;
            return Optional.of(this);
        }
        LOG.debug("The early-started embedded MQTT broker had other options ({}); starting it again with {}", options,
                wanted);
        discard();
        return Optional.empty();
    }

    EmbeddedMqttBroker broker() {
        return broker;
    }

    CompletableFuture<Void> started() {
        return started;
    }

    /** Stops the broker unless the gateway took it over (then it stops with the gateway's services). */
    void discardUnlessAdopted() {
        if (!adopted) {
            discard();
        }
    }

    /** Stops the broker once its start is over (start-up failed elsewhere, or other options were asked for). */
    void discard() {
        try {
            started.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            LOG.debug("The early-started embedded MQTT broker did not start: {}", e.toString());
        }
        broker.stop();
    }
}
