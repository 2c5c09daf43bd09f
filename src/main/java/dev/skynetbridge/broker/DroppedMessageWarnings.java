package dev.skynetbridge.broker;

import dev.skynetbridge.support.RateLimitedWarning;
import dev.skynetbridge.support.logging.GatewayLogging;
import dev.skynetbridge.support.logging.LogEvent;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Turns HiveMQ's report of a dropped message into a rate-limited WARN that names the subscriber,
 * the topic, the reason and the setting to change. HiveMQ writes each drop only at DEBUG on its
 * event logger {@value #HIVEMQ_EVENT_LOGGER} (with the client id, topic, QoS and reason as
 * parameters); this listener takes those events off that logger ({@link GatewayLogging#divert}), so they are not
 * printed twice.
 * Counting is done per broker from HiveMQ's own metric ({@link EmbeddedMqttBroker#droppedMessages()}).
 *
 * <p>HiveMQ's logger is one per JVM, so the listener is too: installed by the first running
 * broker, removed with the last.
 */
final class DroppedMessageWarnings {

    static final String HIVEMQ_EVENT_LOGGER = "event.message-dropped";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    private static final Object LOCK = new Object();
    private static int users;
    private static DroppedMessageWarnings installed;
    private static AutoCloseable diversion;

    private final RateLimitedWarning warning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    /** Its own rate: a bridge that falls behind is another problem than a slow subscriber, and is not hidden by it. */
    private final RateLimitedWarning bridgeWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    private volatile String queueSetting = "";
    private volatile String qos0Setting = "";
    /** Null: no bridge clients of their own queue size. */
    private volatile String bridgeClientIdPrefix;
    private volatile String bridgeQueueSetting = "";

    private DroppedMessageWarnings() {
    }

    /**
     * Starts routing HiveMQ's drop events here (once per JVM); the settings name the bounds in the WARN, the bridge's
     * own for a subscriber whose client id starts with {@code bridgeClientIdPrefix} (null: none).
     */
    static void install(String queueSetting, String qos0Setting, String bridgeClientIdPrefix, String bridgeQueueSetting) {
        synchronized (LOCK) {
            GatewayLogging logging = GatewayLogging.active();
            if (logging == null) {
                LOG.debug("Logging is not the gateway's: dropped-message warnings of the embedded broker stay off");
                return;
            }
            if (installed == null) {
                installed = new DroppedMessageWarnings();
                diversion = logging.divert(HIVEMQ_EVENT_LOGGER, Level.DEBUG, installed::dropped);
            }
            installed.queueSetting = queueSetting;
            installed.qos0Setting = qos0Setting;
            installed.bridgeClientIdPrefix = bridgeClientIdPrefix;
            installed.bridgeQueueSetting = bridgeQueueSetting;
            users++;
        }
    }

    static void uninstall() {
        synchronized (LOCK) {
            if (users == 0 || --users > 0 || diversion == null) {
                return;
            }
            try {
                diversion.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            diversion = null;
            installed = null;
        }
    }

    private void dropped(LogEvent event) {
        Object[] parameters = event.arguments();
        if (parameters == null || parameters.length < 4) {
            warning.warn("Embedded MQTT broker dropped a message: {}", event.message());
            return;
        }
        // HiveMQ: (client id or shared-subscription group, topic, qos, reason)
        String prefix = bridgeClientIdPrefix;
        boolean qos0 = "0".equals(String.valueOf(parameters[2]));
        if (!qos0 && prefix != null && String.valueOf(parameters[0]).startsWith(prefix)) {
            bridgeWarning.warn("Embedded MQTT broker dropped a QoS {} message on '{}' for the gateway's own bridge '{}': {}."
                         + " The bridge's route into Skynet is slower than MQTT publishers; raise {}, or slow the"
                         + " publishers down.", parameters[2], parameters[1], parameters[0], parameters[3],
                    bridgeQueueSetting);
            return;
        }
        warning.warn("Embedded MQTT broker dropped a QoS {} message on '{}' for subscriber '{}': {}. A subscriber that"
                     + " acknowledges slower than messages arrive fills its queue; raise {}, or make the subscriber"
                     + " faster{}.", parameters[2], parameters[1], parameters[0], parameters[3],
                qos0 ? qos0Setting : queueSetting, qos0 ? "" : " (or use QoS 0)");
    }
}
