package dev.skynetbridge.app.metrics;

import dev.skynetbridge.broker.EmbeddedMqttBroker;
import dev.skynetbridge.mqtt.MqttLink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The embedded MQTT broker's meters (when it runs) and the MQTT client's own drops of incoming QoS 0 messages. */
final class MqttMeterBinder implements MeterBinder {

    /** Null with an external broker. */
    private final EmbeddedMqttBroker broker;
    private MeterSet meters;

    MqttMeterBinder(EmbeddedMqttBroker broker) {
        this.broker = broker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters = new MeterSet(registry, Tags.empty())
                .counter(GatewayMeter.MQTT_CLIENT_DROPPED, MqttLink::inboundQos0Dropped);
        if (broker != null) {
            meters.gauge(GatewayMeter.MQTT_BROKER_CONNECTIONS, broker::connections)
                    .counter(GatewayMeter.MQTT_BROKER_DROPPED, broker::droppedMessages);
        }
    }
}
