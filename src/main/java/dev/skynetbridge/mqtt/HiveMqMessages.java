package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** Conversions between the link's own types and the HiveMQ MQTT client's, and how to read the client's failures. */
final class HiveMqMessages {

    private HiveMqMessages() {
    }

    /**
     * @throws IllegalArgumentException if the message cannot be an MQTT publish (an invalid topic or QoS, say)
     */
    static Mqtt5Publish toPublish(MqttLink.Outgoing outgoing) {
        Mqtt5PublishBuilder.Complete builder = Mqtt5Publish.builder()
                .topic(outgoing.topic())
                .qos(qosOf(outgoing.qos()))
                .retain(outgoing.retain())
                .payload(outgoing.payload());
        if (outgoing.contentType() != null) {
            builder.contentType(outgoing.contentType());
        }
        if (!outgoing.userProperties().isEmpty()) {
            Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
            outgoing.userProperties().forEach(properties::add);
            builder.userProperties(properties.build());
        }
        return builder.build();
    }

    /** The publish as the link's listeners see it: user properties in their order (a later duplicate name wins). */
    static MqttLink.Incoming toIncoming(Mqtt5Publish publish) {
        List<? extends Mqtt5UserProperty> list = publish.getUserProperties().asList();
        Map<String, String> properties;
        if (list.isEmpty()) {
            properties = Map.of();
        } else {
            properties = new LinkedHashMap<>();
            for (Mqtt5UserProperty property : list) {
                properties.put(property.getName().toString(), property.getValue().toString());
            }
            properties = Collections.unmodifiableMap(properties);
        }
        return new MqttLink.Incoming(publish.getTopic().toString(), publish.getPayloadAsBytes(),
                publish.getQos().getCode(), publish.isRetain(), properties);
    }

    static MqttQos qosOf(int qos) {
        MqttQos value = MqttQos.fromCode(qos);
        if (value == null) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, was " + qos);
        }
        return value;
    }

    /** Username and password for the CONNECT packet; empty when neither is set. */
    static Optional<Mqtt5SimpleAuth> simpleAuth(String username, String password) {
        boolean hasUsername = username != null && !username.isEmpty();
        boolean hasPassword = password != null && !password.isEmpty();
        if (!hasUsername && !hasPassword) {
            return Optional.empty();
        }
        byte[] passwordBytes = hasPassword ? password.getBytes(StandardCharsets.UTF_8) : null;
        Mqtt5SimpleAuthBuilder.Complete auth = hasUsername
                ? Mqtt5SimpleAuth.builder().username(username)
                : Mqtt5SimpleAuth.builder().password(passwordBytes);
        if (hasUsername && hasPassword) {
            auth = auth.password(passwordBytes);
        }
        return Optional.of(auth.build());
    }

    /** The failure came from the connection (closed, never up, session gone), not from the broker refusing. */
    static boolean isConnectionProblem(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ConnectionClosedException || cause instanceof ConnectionFailedException
               || cause instanceof MqttClientStateException || cause instanceof MqttSessionExpiredException;
    }

    /** One short phrase for log lines and the health check: the innermost useful exception and its message. */
    static String describe(Throwable problem) {
        if (problem == null) {
            return "no reason given";
        }
        Throwable cause = problem.getCause() != null ? problem.getCause() : problem;
        return cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "");
    }
}
