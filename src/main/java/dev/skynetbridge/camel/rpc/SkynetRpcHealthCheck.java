package dev.skynetbridge.camel.rpc;

import dev.skynetbridge.camel.ReadinessCheck;
import dev.skynetbridge.rpc.RpcAddressStatus;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of the skynet-rpc: producers: DOWN while some producer has every service address backing off after
 * failed connects (its calls fail at once then). Details give each address's state, next attempt and last problem.
 */
final class SkynetRpcHealthCheck extends ReadinessCheck {

    private final SkynetRpcComponent component;

    static final String ID = "skynet-rpc";

    SkynetRpcHealthCheck(SkynetRpcComponent component) {
        super(ID);
        this.component = component;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        for (SkynetRpcProducer producer : component.activeProducers()) {
            String endpoint = producer.getEndpoint().describe();
            List<RpcAddressStatus> statuses = producer.getAddressStatuses();
            boolean anyUsable = false;
            for (RpcAddressStatus status : statuses) {
                String state = status.state();
                if (status.nextAttemptAt() != null) {
                    state += " until " + status.nextAttemptAt();
                }
                if (status.lastProblem() != null) {
                    state += "; last problem: " + status.lastProblem();
                }
                builder.detail(endpoint + " " + status.address(), state);
                anyUsable |= !status.isBackingOff();
            }
            if (!statuses.isEmpty() && !anyUsable) {
                builder.down();
                builder.message(endpoint + ": every service address is backing off after failed connects; calls"
                        + " fail at once until the next attempt");
            }
        }
    }
}
