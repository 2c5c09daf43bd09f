package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.BridgeCounters;
import dev.skynetbridge.mqtt.MqttLink;

/** One MQTT bridge's counters, read from its link's outbox (Skynet to MQTT). */
record MqttBridgeCounters(MqttLink link) implements BridgeCounters {

    @Override
    public String kind() {
        return "mqtt";
    }

    @Override
    public long received() {
        return link.receivedCount();
    }

    @Override
    public long sent() {
        return link.publishedCount();
    }

    @Override
    public long failed() {
        return link.failedCount();
    }

    @Override
    public long queued() {
        return link.bufferedCount();
    }

    @Override
    public long dropped() {
        return link.droppedCount();
    }

    @Override
    public long retried() {
        return link.resentCount();
    }

    @Override
    public boolean connected() {
        return link.isConnected();
    }

    @Override
    public long lastSuccessMillis() {
        return link.lastPublishedMillis();
    }
}
