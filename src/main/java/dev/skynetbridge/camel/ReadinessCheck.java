package dev.skynetbridge.camel;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check of the gateway's own group ("skynet") that reports readiness only: an unreachable broker
 * or service is a reason to stop sending traffic to the gateway, never to restart it.
 */
public abstract class ReadinessCheck extends AbstractHealthCheck {

    protected ReadinessCheck(String id) {
        super("skynet", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
