package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.BridgeCounters;

/** The Kafka archive as a bridge, for metrics: its outbox's counters and whether Kafka is reachable. */
record ArchiveBridgeCounters(KafkaArchiveSink sink) implements BridgeCounters {

    @Override
    public String kind() {
        return "kafka";
    }

    @Override
    public long received() {
        return sink.getReceivedCount();
    }

    @Override
    public long sent() {
        return sink.getSentCount();
    }

    @Override
    public long failed() {
        return sink.getFailedCount();
    }

    @Override
    public long queued() {
        return sink.getQueuedCount();
    }

    @Override
    public long dropped() {
        return sink.getDroppedCount();
    }

    @Override
    public long retried() {
        return sink.getRetriedCount();
    }

    @Override
    public boolean connected() {
        KafkaBridgeStatus status = sink.getBridgeStatus();
        return status != null && status.state() == KafkaBridgeStatus.State.UP;
    }

    @Override
    public long lastSuccessMillis() {
        return sink.getLastAcknowledgedMillis();
    }
}
