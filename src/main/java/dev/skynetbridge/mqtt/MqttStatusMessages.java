package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one {@link MqttLink}'s {@link MqttAvailability}: the last will, the online after a connect and the
 * offline before a clean disconnect; all retained, QoS 1, straight to the client (not through the outbox).
 */
final class MqttStatusMessages {

    private static final Logger LOG = LoggerFactory.getLogger(MqttStatusMessages.class);
    private static final long OFFLINE_TIMEOUT_MS = 2_000;

    private final String brokerUrl;
    private final MqttAvailability availability;

    MqttStatusMessages(String brokerUrl, MqttAvailability availability) {
        this.brokerUrl = brokerUrl;
        this.availability = availability;
    }

    /** What the broker publishes when the connection dies without a DISCONNECT (killed, network gone). */
    Mqtt5Publish will() {
        return message(availability.offline());
    }

    /** After every connect, ahead of what waits in the outbox. */
    void publishOnline(Mqtt5AsyncClient connected) {
        connected.publish(message(availability.online())).whenComplete((result, failure) -> {
            Throwable problem = failure != null ? failure : result.getError().orElse(null);
            if (problem != null && !HiveMqMessages.isConnectionProblem(problem)) {
                LOG.warn("MQTT broker {} refused the bridge's status '{}' on {} ({}); Home Assistant will show its"
                         + " entities unavailable: allow this client to publish there, or set statusTopic",
                        brokerUrl, availability.online(), availability.topic(), HiveMqMessages.describe(problem));
            }
        });
    }

    /**
     * Before a clean disconnect, which discards the will: the offline, waiting for the broker to have it.
     *
     * @return false when the broker did not confirm it (the caller then disconnects with the will)
     */
    boolean publishOffline(Mqtt5AsyncClient connected) {
        if (!availability.enabled()) {
            return true;
        }
        try {
            Throwable refused = connected.publish(message(availability.offline()))
                    .get(OFFLINE_TIMEOUT_MS, TimeUnit.MILLISECONDS).getError().orElse(null);
            if (refused == null) {
                return true;
            }
            LOG.warn("MQTT broker {} refused the bridge's '{}' on {} ({}); disconnecting with the last will instead",
                    brokerUrl, availability.offline(), availability.topic(), HiveMqMessages.describe(refused));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("MQTT broker {} did not confirm the bridge's '{}' on {} ({}); disconnecting with the last will"
                     + " instead", brokerUrl, availability.offline(), availability.topic(), HiveMqMessages.describe(e));
        }
        return false;
    }

    private Mqtt5Publish message(String payload) {
        return Mqtt5Publish.builder()
                .topic(availability.topic())
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
