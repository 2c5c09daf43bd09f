package dev.skynetbridge.camel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.mqtt.MqttAvailability;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The availability options of skynet-mqtt: as a route writes them (nothing connects here). */
class SkynetMqttEndpointStatusTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    MqttAvailability availability(String options) {
        return context.getEndpoint("skynet-mqtt:b?brokerUrl=tcp://127.0.0.1:1" + options, SkynetMqttEndpoint.class)
                .availability();
    }

    @Test
    void theDefaultIsPrefixSlashStatusWithHomeAssistantsPayloads() {
        assertThat(availability("")).isEqualTo(new MqttAvailability("skynet/status", "online", "offline"));
        assertThat(availability("&topicPrefix=home/skynet").topic()).isEqualTo("home/skynet/status");
        assertThat(availability("&topicPrefix=").topic()).isEqualTo("status");
    }

    @Test
    void topicAndPayloadsAreOptionsAndAnEmptyTopicTurnsItOff() {
        assertThat(availability("&statusTopic=RAW(base/gateway)&statusOnline=up&statusOffline=down"))
                .isEqualTo(new MqttAvailability("base/gateway", "up", "down"));
        assertThat(availability("&statusTopic=").enabled()).isFalse();
        assertThatThrownBy(() -> availability("&statusTopic=RAW(a/#)")).hasMessageContaining("skynet-mqtt:b: statusTopic"
                + " 'a/#' is not a topic one can publish to");
        assertThatThrownBy(() -> availability("&statusOnline=x&statusOffline=x")).hasMessageContaining("must differ");
    }
}
