package dev.skynetbridge.app.metrics;

import dev.skynetbridge.camel.SkynetComponent;
import dev.skynetbridge.server.AccessMetrics;
import dev.skynetbridge.server.HubMetrics;
import dev.skynetbridge.server.Refusal;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.SkynetServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.LongSupplier;

/** The hub's and the embedded server's meters, read from {@link HubMetrics} (and the routes' queue drops). */
final class HubMeterBinder implements MeterBinder {

    private final SkynetHub hub;
    /** Null when the embedded server is off (the hub then serves only routes). */
    private final SkynetServer server;
    private final SkynetComponent skynet;
    private MeterSet meters;

    HubMeterBinder(SkynetHub hub, SkynetServer server, SkynetComponent skynet) {
        this.hub = hub;
        this.server = server;
        this.skynet = skynet;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        HubMetrics metrics = hub.metrics();
        meters = new MeterSet(registry, Tags.empty())
                .gauge(GatewayMeter.CLIENTS_CONNECTED, Tags.of("protocol", "v1"), metrics::v1ConnectionsOpen)
                .gauge(GatewayMeter.CLIENTS_CONNECTED, Tags.of("protocol", "v2"), metrics::v2ConnectionsOpen)
                .gauge(GatewayMeter.CLIENTS_CONNECTED, Tags.of("protocol", "route"), metrics::inProcessParticipants)
                .gauge(GatewayMeter.CHANNELS_OPEN, hub::channelCount)
                .counter(GatewayMeter.MESSAGES_RECEIVED, Tags.of("protocol", "v1"), metrics::messagesFromV1)
                .counter(GatewayMeter.MESSAGES_RECEIVED, Tags.of("protocol", "v2"), metrics::messagesFromV2)
                .counter(GatewayMeter.MESSAGES_RECEIVED, Tags.of("protocol", "route"), metrics::messagesFromRoutes)
                .counter(GatewayMeter.DELIVERIES, metrics::deliveries)
                .counter(GatewayMeter.SLOW_CLIENTS_CLOSED, metrics::slowClientsClosed)
                .counter(GatewayMeter.PROTOCOL_ERRORS, metrics::protocolErrors)
                .gauge(GatewayMeter.SEND_QUEUE_DEPTH_MAX, () -> server == null ? 0 : server.largestSendQueue());
        dropped(meters, "queue_full", metrics::deliveriesDropped);
        dropped(meters, "slow_client", metrics::deliveriesDroppedSlowClient);
        dropped(meters, "connection_closed", metrics::deliveriesDiscardedOnClose);
        dropped(meters, "frame_too_large", metrics::oversizeFrames);
        dropped(meters, "route_queue_full", skynet == null ? () -> 0 : skynet::routeQueueDrops);
        AccessMetrics access = metrics.access();
        for (Refusal refusal : Refusal.values()) {
            meters.counter(GatewayMeter.ACCESS_REFUSED, Tags.of("reason", refusal.key()), () -> access.refused(refusal));
        }
    }

    private static void dropped(MeterSet meters, String reason, LongSupplier count) {
        meters.counter(GatewayMeter.DELIVERIES_DROPPED, Tags.of("reason", reason), count);
    }
}
