package dev.skynetbridge.mqtt;

import dev.skynetbridge.support.RateLimitedWarning;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Counts the inbound QoS 0 messages the HiveMQ MQTT client drops. Past {@link MqttLinkOptions#inboundQueueSize()}
 * messages waiting for a slow route, the client drops the oldest and logs {@value #DROP_MESSAGE} at WARN on
 * {@value #CLIENT_LOGGER}, once per message; that log line is the client's only trace of it (no counter, callback
 * or event). This appender takes those lines off that logger, counts them and writes one rate-limited WARN that
 * says what to do instead of one line per message.
 *
 * <p>The line names no connection, so the count is for every link in the JVM together; the logger is one per JVM,
 * so the appender is too (installed by the first link that starts, kept for the JVM's life).
 */
final class InboundQos0Drops extends AbstractAppender {

    static final String CLIENT_LOGGER =
            "com.hivemq.client.internal.mqtt.handler.publish.incoming.MqttIncomingPublishService";
    static final String DROP_MESSAGE = "QoS 0 publish message dropped.";
    private static final String APPENDER_NAME = "skynet-mqtt-client-qos0-drops";
    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    private static final Object LOCK = new Object();
    private static final LongAdder DROPPED = new LongAdder();
    /** The gateway setting that sizes the queue, named in the WARN. */
    static final String QUEUE_SETTING = "skynet.mqtt.inbound-queue-size";
    /** The queue size of the links started, for the WARN (the largest: the drop line names no connection). */
    private static volatile int queueSize;

    private final RateLimitedWarning warning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);

    private InboundQos0Drops() {
        super(APPENDER_NAME, null, null, true, Property.EMPTY_ARRAY);
    }

    /** Inbound QoS 0 messages the MQTT client dropped since the JVM started, every link together. */
    static long dropped() {
        return DROPPED.sum();
    }

    /** Routes the client's drop lines here; once per JVM (later calls only note the queue size for the WARN). */
    static void install(int linkQueueSize) {
        synchronized (LOCK) {
            queueSize = Math.max(queueSize, linkQueueSize);
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                LOG.debug("Logging is not log4j2: inbound QoS 0 drops of the MQTT client are not counted");
                return;
            }
            Configuration configuration = context.getConfiguration();
            if (configuration.getAppender(APPENDER_NAME) != null) {
                return;
            }
            InboundQos0Drops appender = new InboundQos0Drops();
            appender.start();
            configuration.addAppender(appender);
            LoggerConfig client = new LoggerConfig(CLIENT_LOGGER, Level.WARN, false);
            client.addAppender(appender, Level.WARN, null);
            configuration.addLogger(CLIENT_LOGGER, client);
            context.updateLoggers();
        }
    }

    @Override
    public void append(LogEvent event) {
        String text = event.getMessage().getFormattedMessage();
        if (!DROP_MESSAGE.equals(text)) {
            // Any other line of that class keeps its meaning: pass it on under our name.
            LOG.warn("MQTT client: {}", text);
            return;
        }
        DROPPED.increment();
        warning.warn("MQTT client dropped an incoming QoS 0 message: a bridge's route from MQTT is slower than its"
                     + " topics ({} waiting already; {} dropped so far, metric skynet.mqtt.client.dropped). Raise {}"
                     + " (at most {}), subscribe with QoS 1 (the broker then waits), or make the route faster.",
                queueSize, DROPPED.sum(), QUEUE_SETTING, MqttLinkOptions.MAX_INBOUND_QUEUE_SIZE);
    }
}
