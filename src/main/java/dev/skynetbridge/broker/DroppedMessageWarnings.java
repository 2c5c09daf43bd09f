package dev.skynetbridge.broker;

import dev.skynetbridge.support.RateLimitedWarning;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HiveMQ's report of a dropped message into a rate-limited WARN that names the subscriber,
 * the topic, the reason and the setting to change. HiveMQ writes each drop only at DEBUG on its
 * event logger {@value #HIVEMQ_EVENT_LOGGER} (with the client id, topic, QoS and reason as
 * parameters); this appender takes those events off that logger, so they are not printed twice.
 * Counting is done per broker from HiveMQ's own metric ({@link EmbeddedMqttBroker#droppedMessages()}).
 *
 * <p>HiveMQ's logger is one per JVM, so the appender is too: installed by the first running
 * broker, removed with the last.
 */
final class DroppedMessageWarnings extends AbstractAppender {

    static final String HIVEMQ_EVENT_LOGGER = "event.message-dropped";
    private static final String APPENDER_NAME = "skynet-mqtt-dropped-messages";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    private static final Object LOCK = new Object();
    private static int users;

    private final RateLimitedWarning warning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    /** Its own rate: a bridge that falls behind is another problem than a slow subscriber, and is not hidden by it. */
    private final RateLimitedWarning bridgeWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    private volatile String queueSetting = "";
    private volatile String qos0Setting = "";
    /** Null: no bridge clients of their own queue size. */
    private volatile String bridgeClientIdPrefix;
    private volatile String bridgeQueueSetting = "";

    private DroppedMessageWarnings() {
        super(APPENDER_NAME, null, null, true, Property.EMPTY_ARRAY);
    }

    /**
     * Starts routing HiveMQ's drop events here (once per JVM); the settings name the bounds in the WARN, the bridge's
     * own for a subscriber whose client id starts with {@code bridgeClientIdPrefix} (null: none).
     */
    static void install(String queueSetting, String qos0Setting, String bridgeClientIdPrefix, String bridgeQueueSetting) {
        synchronized (LOCK) {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                LOG.debug("Logging is not log4j2: dropped-message warnings of the embedded broker stay off");
                return;
            }
            Configuration configuration = context.getConfiguration();
            DroppedMessageWarnings appender = configuration.getAppender(APPENDER_NAME);
            if (appender == null) {
                appender = new DroppedMessageWarnings();
                appender.start();
                configuration.addAppender(appender);
                LoggerConfig events = new LoggerConfig(HIVEMQ_EVENT_LOGGER, Level.DEBUG, false);
                events.addAppender(appender, Level.DEBUG, null);
                configuration.addLogger(HIVEMQ_EVENT_LOGGER, events);
                context.updateLoggers();
            }
            appender.queueSetting = queueSetting;
            appender.qos0Setting = qos0Setting;
            appender.bridgeClientIdPrefix = bridgeClientIdPrefix;
            appender.bridgeQueueSetting = bridgeQueueSetting;
            users++;
        }
    }

    static void uninstall() {
        synchronized (LOCK) {
            if (users == 0 || --users > 0 || !(LogManager.getContext(false) instanceof LoggerContext context)) {
                return;
            }
            Configuration configuration = context.getConfiguration();
            configuration.removeLogger(HIVEMQ_EVENT_LOGGER);
            DroppedMessageWarnings appender = configuration.getAppender(APPENDER_NAME);
            if (appender != null) {
                configuration.getAppenders().remove(APPENDER_NAME);
                appender.stop();
            }
            context.updateLoggers();
        }
    }

    @Override
    public void append(LogEvent event) {
        Object[] parameters = event.getMessage().getParameters();
        if (parameters == null || parameters.length < 4) {
            warning.warn("Embedded MQTT broker dropped a message: {}", event.getMessage().getFormattedMessage());
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
