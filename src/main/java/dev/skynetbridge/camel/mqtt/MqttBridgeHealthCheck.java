package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.ReadinessCheck;
import dev.skynetbridge.mqtt.MqttLink;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of the MQTT bridges: DOWN while a bridge's broker is unreachable (its messages wait
 * in the bounded outbox meanwhile). Details give each link's buffer and drop counters.
 */
final class MqttBridgeHealthCheck extends ReadinessCheck {

    private final SkynetMqttComponent component;

    MqttBridgeHealthCheck(SkynetMqttComponent component) {
        super("mqtt-bridges");
        this.component = component;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        for (MqttLink.Status status : component.linkStatuses()) {
            String prefix = "mqtt " + status.brokerUrl() + " (" + status.clientId() + ")";
            builder.detail(prefix + " connected", status.connected());
            builder.detail(prefix + " buffered", status.buffered() + "/" + status.bufferSize());
            builder.detail(prefix + " dropped", status.dropped());
            if (!status.connected()) {
                builder.down();
                builder.message("MQTT broker " + status.brokerUrl() + " unreachable"
                        + (status.lastProblem() == null ? "" : ": " + status.lastProblem())
                        + "; messages are buffered (" + status.buffered() + "/" + status.bufferSize() + ")");
            }
        }
    }
}
