package dev.skynetbridge.app.metrics;

import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.camel.mqtt.InboundDiscard;
import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.mqtt.MqttLink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The embedded MQTT broker's meters (when it runs), the MQTT client's own drops of incoming QoS 0 messages, and the
 * messages from MQTT the bridges' consumers did not hand to Skynet.
 */
final class MqttMeterBinder implements MeterBinder {

    /** Null with an external broker. */
    private final EmbeddedMqttBroker broker;
    private final SkynetMqttComponent bridges;
    private MeterSet meters;

    MqttMeterBinder(EmbeddedMqttBroker broker, SkynetMqttComponent bridges) {
        this.broker = broker;
        this.bridges = bridges;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters = new MeterSet(registry, Tags.empty())
                .counter(GatewayMeter.MQTT_CLIENT_DROPPED, MqttLink::inboundQos0Dropped);
        for (InboundDiscard reason : InboundDiscard.values()) {
            meters.counter(GatewayMeter.MQTT_INBOUND_DISCARDED, Tags.of("reason", reason.key()),
                    () -> bridges.discarded(reason));
        }
        if (broker != null) {
            meters.gauge(GatewayMeter.MQTT_BROKER_CONNECTIONS, broker::connections)
                    .counter(GatewayMeter.MQTT_BROKER_DROPPED, broker::droppedMessages);
        }
    }
}
