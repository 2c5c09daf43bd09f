package dev.skynetbridge.app.metrics;

import dev.skynetbridge.camel.BridgeCounters;
import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.SkynetConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of every running bridge (tags {@code bridge} = the user's route id, {@code kind}), added when a bridge
 * starts and removed when it stops. Each value is the bridge's skynet: source (its queue, its drops, routes that
 * failed before the target) plus its target ({@link BridgeCounters}), so that at a quiet moment
 * {@code received = sent + failed + queued + dropped}.
 */
final class BridgeMeterBinder implements MeterBinder, Bridges.Watcher {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeMeterBinder.class);

    private final Bridges bridges;
    /** By tag values (bridge, kind): two bridges under one name would share, and remove, each other's meters. */
    private final Map<List<String>, Metered> meters = new ConcurrentHashMap<>();
    private MeterRegistry registry;

    private record Metered(Bridges.Bridge bridge, MeterSet meters) {
    }

    BridgeMeterBinder(Bridges bridges) {
        this.bridges = bridges;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        bridges.watch(this);
    }

    @Override
    public void added(Bridges.Bridge bridge) {
        BridgeCounters target = bridge.counters();
        List<String> key = List.of(bridge.name(), target.kind());
        Metered already = meters.get(key);
        if (already != null && already.bridge() != bridge) {
            LOG.warn("Two {} bridges are named {} (one route with two brokers?): only the first is in the metrics."
                     + " Give each its own route.", target.kind(), bridge.name());
            return;
        }
        MeterSet set = new MeterSet(registry, Tags.of("bridge", bridge.name(), "kind", target.kind()));
        set.counter(GatewayMeter.BRIDGE_RECEIVED, Tags.empty(), () -> {
                    Optional<SkynetConsumer> source = source(bridge);
                    return source.isPresent() ? source.get().getOfferedCount() : target.received();
                })
                .counter(GatewayMeter.BRIDGE_SENT, Tags.empty(), target::sent)
                .counter(GatewayMeter.BRIDGE_FAILED, Tags.empty(),
                        () -> target.failed() + fromSource(bridge, SkynetConsumer::getFailedCount))
                .gauge(GatewayMeter.BRIDGE_QUEUED, Tags.empty(),
                        () -> target.queued() + fromSource(bridge, SkynetConsumer::getQueueDepth))
                .counter(GatewayMeter.BRIDGE_DROPPED, Tags.empty(),
                        () -> target.dropped() + fromSource(bridge, SkynetConsumer::getDroppedCount))
                .counter(GatewayMeter.BRIDGE_RETRIED, Tags.empty(), target::retried)
                .counter(GatewayMeter.BRIDGE_DEAD_LETTERED, Tags.empty(), target::deadLettered)
                .gauge(GatewayMeter.BRIDGE_CONNECTED, Tags.empty(), () -> target.connected() ? 1 : 0)
                .gauge(GatewayMeter.BRIDGE_LAST_SUCCESS, Tags.empty(), () -> target.lastSuccessMillis() / 1000.0);
        meters.put(key, new Metered(bridge, set));
    }

    @Override
    public void removed(Bridges.Bridge bridge) {
        List<String> key = List.of(bridge.name(), bridge.counters().kind());
        Metered metered = meters.get(key);
        if (metered != null && metered.bridge() == bridge && meters.remove(key, metered)) {
            metered.meters().remove();
        }
    }

    /** Looked up when scraped: the source route may start after the target, or restart. */
    private Optional<SkynetConsumer> source(Bridges.Bridge bridge) {
        return bridges.sourceOf(bridge.name());
    }

    private long fromSource(Bridges.Bridge bridge, ToLongFunction<SkynetConsumer> count) {
        return source(bridge).map(count::applyAsLong).orElse(0L);
    }
}
