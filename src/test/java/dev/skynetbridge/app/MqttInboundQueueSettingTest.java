package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** skynet.mqtt.inbound-queue-size: an MQTT 5 Receive Maximum, so 1 to 65535, with an error that names the setting. */
class MqttInboundQueueSettingTest {

    private static GatewaySettings withEnvironment(Map<String, String> environment) {
        return new GatewaySettings(key -> Optional.empty(), environment);
    }

    @Test
    void theDefaultHoldsACold5000PerSecondStart() {
        assertThat(withEnvironment(Map.of()).mqttInboundQueueSize()).isEqualTo(50_000);
        assertThat(withEnvironment(Map.of("SKYNET_MQTT_INBOUND_QUEUE_SIZE", "65535")).mqttInboundQueueSize())
                .isEqualTo(65_535);
    }

    @Test
    void valuesAnMqttReceiveMaximumCannotHoldAreRefused() {
        assertThatThrownBy(() -> withEnvironment(Map.of("SKYNET_MQTT_INBOUND_QUEUE_SIZE", "70000"))
                .mqttInboundQueueSize()).hasMessage("Setting skynet.mqtt.inbound-queue-size (env"
                + " SKYNET_MQTT_INBOUND_QUEUE_SIZE) is '70000'; expected 1 to 65535 (the MQTT 5 Receive Maximum)");
        assertThatThrownBy(() -> withEnvironment(Map.of("SKYNET_MQTT_INBOUND_QUEUE_SIZE", "0")).mqttInboundQueueSize())
                .hasMessageContaining("is '0'; expected 1 to 65535");
    }
}
