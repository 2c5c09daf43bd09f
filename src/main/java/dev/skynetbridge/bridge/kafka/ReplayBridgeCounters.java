package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.BridgeCounters;

/**
 * A Kafka replay as a bridge (Kafka into Skynet), for metrics. Received are the records meant for it (those before
 * the start or on other channels, skipped by design, are left out); sent are those handed to Skynet; failed are
 * records that are not Skynet archive records. Nothing waits in the replay itself, so queued and dropped are 0.
 */
record ReplayBridgeCounters(KafkaReplayProcessor replay) implements BridgeCounters {

    @Override
    public String kind() {
        return "kafka";
    }

    @Override
    public long received() {
        return replay.getReplayedCount() + replay.getInvalidCount();
    }

    @Override
    public long sent() {
        return replay.getReplayedCount();
    }

    @Override
    public long failed() {
        return replay.getInvalidCount();
    }

    @Override
    public long queued() {
        return 0;
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public long retried() {
        return 0;
    }

    @Override
    public boolean connected() {
        KafkaBridgeStatus status = replay.getBridgeStatus();
        return status != null && status.state() == KafkaBridgeStatus.State.UP;
    }

    @Override
    public long lastSuccessMillis() {
        return replay.getLastReplayedMillis();
    }
}
