package dev.skynetbridge.bridge.webhook;

import dev.skynetbridge.camel.BridgeCounters;

/**
 * One outgoing webhook as a bridge, for metrics. Failed are the messages given up on (dead-lettered); queued are
 * those being tried or waiting for a retry.
 */
record WebhookBridgeCounters(WebhookSender sender) implements BridgeCounters {

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public long received() {
        return sender.getReceivedCount();
    }

    @Override
    public long sent() {
        return sender.getDeliveredCount();
    }

    @Override
    public long failed() {
        return sender.getDeadLetteredCount();
    }

    @Override
    public long queued() {
        // Read in this order, a message that completes meanwhile is never counted twice.
        long finished = sender.getDeliveredCount() + sender.getDeadLetteredCount();
        return Math.max(0, sender.getReceivedCount() - finished);
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public long retried() {
        return sender.getRetriedCount();
    }

    @Override
    public long deadLettered() {
        return sender.getDeadLetteredCount();
    }

    @Override
    public boolean connected() {
        return sender.isLastAttemptDelivered();
    }

    @Override
    public long lastSuccessMillis() {
        return sender.getLastDeliveredMillis();
    }
}
