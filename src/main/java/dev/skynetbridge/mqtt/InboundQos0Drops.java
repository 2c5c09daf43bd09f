package dev.skynetbridge.mqtt;

import dev.skynetbridge.support.RateLimitedWarning;
import dev.skynetbridge.support.logging.GatewayLogging;
import dev.skynetbridge.support.logging.LogEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Counts the inbound QoS 0 messages the HiveMQ MQTT client drops. Past {@link MqttLinkOptions#inboundQueueSize()}
 * messages waiting for a slow route, the client drops the oldest and logs {@value #DROP_MESSAGE} at WARN on
 * {@value #CLIENT_LOGGER}, once per message; that log line is the client's only trace of it (no counter, callback
 * or event). This listener takes those lines off that logger ({@link GatewayLogging#divert}), counts them and writes one rate-limited WARN that
 * says what to do instead of one line per message.
 *
 * <p>The line names no connection, so the count is for every link in the JVM together; the logger is one per JVM,
 * so the listener is too (installed by the first link that starts, kept for the JVM's life).
 */
final class InboundQos0Drops {

    static final String CLIENT_LOGGER =
            "com.hivemq.client.internal.mqtt.handler.publish.incoming.MqttIncomingPublishService";
    static final String DROP_MESSAGE = "QoS 0 publish message dropped.";
    private static boolean installed;
    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    private static final Object LOCK = new Object();
    private static final LongAdder DROPPED = new LongAdder();
    /** The gateway setting that sizes the queue, named in the WARN. */
    static final String QUEUE_SETTING = "skynet.mqtt.inbound-queue-size";
    /** The queue size of the links started, for the WARN (the largest: the drop line names no connection). */
    private static volatile int queueSize;

    private final RateLimitedWarning warning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);

    private InboundQos0Drops() {
    }

    /** Inbound QoS 0 messages the MQTT client dropped since the JVM started, every link together. */
    static long dropped() {
        return DROPPED.sum();
    }

    /** Routes the client's drop lines here; once per JVM (later calls only note the queue size for the WARN). */
    static void install(int linkQueueSize) {
        synchronized (LOCK) {
            queueSize = Math.max(queueSize, linkQueueSize);
            GatewayLogging logging = GatewayLogging.active();
            if (logging == null) {
                LOG.debug("Logging is not the gateway's: inbound QoS 0 drops of the MQTT client are not counted");
                return;
            }
            if (installed) {
                return;
            }
            logging.divert(CLIENT_LOGGER, Level.WARN, new InboundQos0Drops()::logged);
            installed = true;
        }
    }

    private void logged(LogEvent event) {
        String text = event.message();
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
