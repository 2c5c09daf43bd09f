package dev.skynetbridge.app.console;

import dev.skynetbridge.server.TrafficRecorder;
import dev.skynetbridge.support.RateLimitedWarning;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;

/**
 * What the console itself leaves out of a view (never a delivery): entries the traffic ring overwrote before a viewer
 * read them, and live-stream batches not sent to a viewer whose connection was still busy with the previous ones.
 * Counted here, logged by a rate-limited WARN, and registered as meters ({@code skynet.console.*}) when Camel has a
 * MeterRegistry.
 */
final class ConsoleCounters {

    private final LongAdder trafficMissed = new LongAdder();
    private final LongAdder slowViewerBatches = new LongAdder();
    private final RateLimitedWarning warning =
            new RateLimitedWarning(LoggerFactory.getLogger(ConsoleCounters.class), 60, TimeUnit.SECONDS);
    private final RateLimitedWarning failures =
            new RateLimitedWarning(LoggerFactory.getLogger(ConsoleCounters.class), 60, TimeUnit.SECONDS);

    void trafficMissed(long entries) {
        if (entries > 0) {
            trafficMissed.add(entries);
            warning.warn("Console: {} traffic entries were overwritten before a viewer read them (the view is a"
                    + " sample; deliveries are not affected; counted in skynet.console.traffic.missed)", entries);
        }
    }

    void slowViewerBatch(String viewer) {
        slowViewerBatches.increment();
        warning.warn("Console: viewer {} reads its live stream too slowly; skipped a batch (deliveries are not"
                + " affected; counted in skynet.console.stream.skipped)", viewer);
    }

    /** A console view could not be built: logged (rate-limited), the next tick tries again. */
    void failure(String what, RuntimeException error) {
        failures.warn("Console: could not build {}: {}", what, error.toString());
    }

    long trafficMissed() {
        return trafficMissed.sum();
    }

    long slowViewerBatches() {
        return slowViewerBatches.sum();
    }

    /** Registers the console's meters on Camel's MeterRegistry, if there is one. */
    void bindTo(CamelContext context, TrafficRecorder recorder) {
        for (MeterRegistry registry : context.getRegistry().findByType(MeterRegistry.class)) {
            bindTo(registry, recorder);
        }
    }

    private void bindTo(MeterRegistry registry, TrafficRecorder recorder) {
        FunctionCounter.builder("skynet.console.traffic.skipped", recorder, TrafficRecorder::skipped)
                .description("Messages not sampled into the console's traffic view (over its per-second sample)")
                .register(registry);
        FunctionCounter.builder("skynet.console.traffic.missed", trafficMissed, LongAdder::sum)
                .description("Sampled messages overwritten in the console's ring before a viewer read them")
                .register(registry);
        FunctionCounter.builder("skynet.console.stream.skipped", slowViewerBatches, LongAdder::sum)
                .description("Live-stream batches not sent to a console viewer that read too slowly")
                .register(registry);
        Gauge.builder("skynet.console.viewers", recorder, TrafficRecorder::viewers)
                .description("Console pages with the live stream open").register(registry);
    }
}
