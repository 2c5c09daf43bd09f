package dev.skynetbridge.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Meters of one source registered together and removed together (a bridge's, when it stops). Every meter reads its
 * value when scraped, from a supplier this set keeps alive (Micrometer itself holds them only weakly): nothing is
 * looked up or recorded per message.
 */
final class MeterSet {

    private final MeterRegistry registry;
    private final Tags common;
    private final List<Meter> meters = new ArrayList<>();
    /** The suppliers, strongly held for as long as the meters exist. */
    private final List<Object> sources = new ArrayList<>();

    MeterSet(MeterRegistry registry, Tags common) {
        this.registry = registry;
        this.common = common;
    }

    /** A counter that reads a running total. */
    MeterSet counter(GatewayMeter meter, Tags tags, LongSupplier total) {
        check(meter, GatewayMeter.Type.COUNTER, tags);
        sources.add(total);
        meters.add(FunctionCounter.builder(meter.meterName(), total, source -> source.getAsLong())
                .tags(common.and(tags)).description(meter.description()).baseUnit(meter.baseUnit()).register(registry));
        return this;
    }

    MeterSet counter(GatewayMeter meter, LongSupplier total) {
        return counter(meter, Tags.empty(), total);
    }

    MeterSet gauge(GatewayMeter meter, Tags tags, DoubleSupplier value) {
        check(meter, GatewayMeter.Type.GAUGE, tags);
        sources.add(value);
        meters.add(Gauge.builder(meter.meterName(), value, DoubleSupplier::getAsDouble)
                .tags(common.and(tags)).description(meter.description()).baseUnit(meter.baseUnit()).register(registry));
        return this;
    }

    MeterSet gauge(GatewayMeter meter, DoubleSupplier value) {
        return gauge(meter, Tags.empty(), value);
    }

    /** A timer from a running count and a running total of nanoseconds. */
    MeterSet timer(GatewayMeter meter, Tags tags, LongSupplier count, LongSupplier totalNanos) {
        check(meter, GatewayMeter.Type.TIMER, tags);
        sources.add(count);
        sources.add(totalNanos);
        meters.add(FunctionTimer.builder(meter.meterName(), this, set -> count.getAsLong(),
                        set -> totalNanos.getAsLong(), TimeUnit.NANOSECONDS)
                .tags(common.and(tags)).description(meter.description()).register(registry));
        return this;
    }

    /** Removes every meter of this set from the registry. */
    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
        sources.clear();
    }

    /** The list in GatewayMeter is what docs/metrics.md shows: a meter must match it. */
    private void check(GatewayMeter meter, GatewayMeter.Type type, Tags tags) {
        List<String> keys = new ArrayList<>();
        common.and(tags).forEach(tag -> keys.add(tag.getKey()));
        if (meter.type() != type || !keys.equals(meter.labels())) {
            throw new IllegalArgumentException(meter + " is a " + meter.type() + " with labels " + meter.labels()
                    + ", not a " + type + " with " + keys);
        }
    }
}
