package dev.skynetbridge.app.metrics;

import dev.skynetbridge.camel.BridgeCounters;
import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.SkynetConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The meters of every running bridge (tags {@code bridge} = the user's route id, {@code kind}), added when a bridge
 * starts and removed when it stops. Each value is the bridge's skynet: source (its queue, its drops, routes that
 * failed before the target) plus its target ({@link BridgeCounters}), so that at a quiet moment
 * {@code received = sent + failed + queued + dropped}.
 */
final class BridgeMeterBinder implements MeterBinder, Bridges.Watcher {

    private final Bridges bridges;
    private final Map<Bridges.Bridge, MeterSet> meters = new ConcurrentHashMap<>();
    private MeterRegistry registry;

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
        MeterSet previous = meters.put(bridge, set);
        if (previous != null) {
            previous.remove();
        }
    }

    @Override
    public void removed(Bridges.Bridge bridge) {
        MeterSet set = meters.remove(bridge);
        if (set != null) {
            set.remove();
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
