package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.ReadinessCheck;
import dev.skynetbridge.mqtt.MqttLink;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one MQTT bridge (id {@code skynet-mqtt-<bridgeId>}): DOWN while its broker is unreachable (its
 * messages wait in the bounded outbox meanwhile). Details give the link's outbox counters
 * ({@code received = published + failed + buffered + dropped} at a quiet moment) and inbound counters.
 */
final class MqttBridgeHealthCheck extends ReadinessCheck {

    private final SkynetMqttComponent component;
    private final String bridgeId;

    MqttBridgeHealthCheck(SkynetMqttComponent component, String bridgeId) {
        super(idFor(bridgeId));
        this.component = component;
        this.bridgeId = bridgeId;
    }

    static String idFor(String bridgeId) {
        return ReadinessCheck.idOf("mqtt", bridgeId);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        List<MqttLink.Status> statuses = component.linkStatuses(bridgeId);
        boolean several = statuses.size() > 1;
        for (MqttLink.Status status : statuses) {
            String prefix = several ? status.brokerUrl() + " " : "";
            builder.detail(prefix + "broker", status.brokerUrl());
            builder.detail(prefix + "clientId", status.clientId());
            builder.detail(prefix + "connected", status.connected());
            builder.detail(prefix + "buffered", status.buffered() + "/" + status.bufferSize());
            builder.detail(prefix + "received", status.received());
            builder.detail(prefix + "published", status.published());
            builder.detail(prefix + "failed", status.failed());
            builder.detail(prefix + "dropped", status.dropped());
            builder.detail(prefix + "delivered", status.delivered());
            builder.detail(prefix + "listenerFailures", status.listenerFailures());
            if (status.lastProblem() != null) {
                builder.detail(prefix + "lastProblem", status.lastProblem());
            }
            if (!status.connected()) {
                builder.down();
                builder.message("MQTT bridge " + bridgeId + ": broker " + status.brokerUrl() + " unreachable"
                        + (status.lastProblem() == null ? "" : ": " + status.lastProblem())
                        + "; messages are buffered (" + status.buffered() + "/" + status.bufferSize() + ")");
            }
        }
    }
}
