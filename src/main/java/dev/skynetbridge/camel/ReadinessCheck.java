package dev.skynetbridge.camel;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check of the gateway's own that reports readiness only: an unreachable broker or service is a reason to
 * stop sending traffic to the gateway, never to restart it.
 *
 * <p>Naming, one scheme for the whole gateway: every check is in group {@value #GROUP} and its id is
 * {@code skynet-<part>} or {@code skynet-<part>-<name>} (lower case, dashes):
 * <ul>
 *   <li>{@code skynet-server}: the {@code skynet:} component: the embedded hub and the remote Skynet servers its
 *       endpoints connect to;
 *   <li>{@code skynet-cluster}: the link to the other gateways of a cluster (NATS);
 *   <li>{@code skynet-rpc}: the {@code skynet-rpc:} producers and their service addresses;
 *   <li>{@code skynet-mqtt-<bridgeId>}: one per MQTT bridge ({@code skynet-mqtt:} links with that bridge id);
 *   <li>{@code skynet-kafka-<name>}: one per Kafka bridge ({@code skynet-kafka-archive-<topic>},
 *       {@code skynet-kafka-replay-<topic>}).
 * </ul>
 * A new part follows the same pattern ({@code skynet-webhook-<name>}, ...). Camel's own checks keep their names
 * (group {@code camel}: {@code context}, {@code route:<id>}, {@code consumer:<id>}).
 */
public abstract class ReadinessCheck extends AbstractHealthCheck {

    /** The group of every health check the gateway registers. */
    public static final String GROUP = "skynet";

    protected ReadinessCheck(String id) {
        super(GROUP, id);
    }

    /** {@code skynet-<part>-<name>}: the id of one of several checks of a part. */
    public static String idOf(String part, String name) {
        return GROUP + "-" + part + "-" + name;
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
