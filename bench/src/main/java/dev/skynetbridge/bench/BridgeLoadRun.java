package dev.skynetbridge.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Connect, prove the path, warm up, measure, drain, report. */
final class BridgeLoadRun {

    private final BridgeLoadSettings settings;
    private final LoadPublishers publishers;
    private final BridgeLoadTally tally;

    BridgeLoadRun(BridgeLoadSettings settings, LoadPublishers publishers, BridgeLoadTally tally) {
        this.settings = settings;
        this.publishers = publishers;
        this.tally = tally;
    }

    void run() throws Exception {
        publishers.connect();
        awaitPathReady();

        publishers.start();
        BridgeLoadTool.sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds));
        long self = ProcessHandle.current().pid();
        double gateway0 = BridgeLoadTool.cpu(settings.gatewayPid);
        double gatewaySys0 = settings.gatewayPid > 0 ? ProcStats.systemCpuSeconds(settings.gatewayPid) : -1;
        long switches0 = settings.gatewayPid > 0 ? ProcStats.contextSwitches(settings.gatewayPid) : -1;
        ThreadCpu threads0 = ThreadCpu.snapshot(List.of(settings.gatewayPid));
        double broker0 = BridgeLoadTool.cpu(settings.brokerPid);
        double self0 = ProcStats.cpuSeconds(self);
        long received0 = tally.totalReceived();
        long sent0 = publishers.totalSent();
        long t0 = System.nanoTime();
        tally.recording = true;
        long last = received0;
        for (int second = 1; second <= settings.durationSeconds; second++) {
            BridgeLoadTool.sleepUntil(t0 + TimeUnit.SECONDS.toNanos(second));
            long now = tally.totalReceived();
            System.err.printf(Locale.ROOT, "  %2d s: %,d delivered/s%n", second, now - last);
            last = now;
        }
        tally.recording = false;
        long t1 = System.nanoTime();
        long received1 = tally.totalReceived();
        long sent1 = publishers.totalSent();
        double gateway1 = BridgeLoadTool.cpu(settings.gatewayPid);
        double gatewaySys1 = settings.gatewayPid > 0 ? ProcStats.systemCpuSeconds(settings.gatewayPid) : -1;
        long switches1 = settings.gatewayPid > 0 ? ProcStats.contextSwitches(settings.gatewayPid) : -1;
        ThreadCpu threads1 = ThreadCpu.snapshot(List.of(settings.gatewayPid));
        double broker1 = BridgeLoadTool.cpu(settings.brokerPid);
        double self1 = ProcStats.cpuSeconds(self);
        double load = ProcStats.loadAverage();

        publishers.stop();
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainSeconds);
        while (tally.totalReceived() < publishers.expectedArrivals() && System.nanoTime() < drainEnd) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // late duplicates, if any
        long missing = publishers.expectedArrivals() - tally.totalReceived();
        if (missing > 0) {
            for (int stream = 0; stream < tally.streams(); stream++) {
                long sent = publishers.sentToStream(stream);
                System.err.println("missing from stream " + stream + " (of " + sent + " sent): "
                        + tally.firstMissing(stream, sent));
            }
        }
        if (publishers.failed() > 0) {
            System.err.println("the broker refused " + publishers.failed() + " publishes (counted as missing)");
        }
        if (!threads1.isEmpty()) {
            System.err.println("busiest gateway threads (cores): "
                    + threads1.busiest(threads0, (t1 - t0) / 1e9, 8));
        }
        LatencyHistogram latency = tally.latency();

        double seconds = (t1 - t0) / 1e9;
        long deliveredCount = received1 - received0;
        double delivered = deliveredCount / seconds;
        double published = (sent1 - sent0) / seconds;
        double gatewayCpu = gateway1 - gateway0;
        double usPerMessage = gateway0 < 0 || deliveredCount == 0 ? -1 : gatewayCpu / deliveredCount * 1e6;
        double brokerCores = broker0 < 0 ? -1 : (broker1 - broker0) / seconds;
        double switchesPerMessage = switches0 < 0 || deliveredCount == 0 ? -1
                : (switches1 - switches0) / (double) deliveredCount;
        System.out.printf(Locale.ROOT, "%s: %,.0f delivered/s (%,.0f published/s) over %.1f s; latency ms p50 %.3f"
                        + " p99 %.3f p99.9 %.3f max %.3f (%,d samples); gateway CPU %.2f cores, %.1f us per message"
                        + " (%.0f %% system), %.2f context switches per message; broker CPU %.2f cores; tool CPU %.2f cores; sent %,d, missing %,d,"
                        + " duplicates %,d, unparsed %,d, foreign %,d; load %.2f%n",
                settings.label, delivered, published, seconds,
                BridgeLoadTool.ms(latency.valueAtPercentile(50)), BridgeLoadTool.ms(latency.valueAtPercentile(99)),
                BridgeLoadTool.ms(latency.valueAtPercentile(99.9)), BridgeLoadTool.ms(latency.max()), latency.count(),
                gatewayCpu / seconds, usPerMessage,
                100 * (gatewaySys1 - gatewaySys0) / Math.max(gatewayCpu, 0.01), switchesPerMessage,
                brokerCores, (self1 - self0) / seconds, publishers.totalSent(), missing, tally.duplicates.get(),
                tally.unparsed.get(), tally.foreign.get(), load);
        System.out.printf(Locale.ROOT, "RESULT|%s|%.0f|%.0f|%.3f|%.3f|%.3f|%.3f|%.2f|%.1f|%.0f|%.2f|%.2f|%.2f|%d|%d|%d|%.2f%n",
                settings.label, delivered, published,
                BridgeLoadTool.ms(latency.valueAtPercentile(50)), BridgeLoadTool.ms(latency.valueAtPercentile(99)),
                BridgeLoadTool.ms(latency.valueAtPercentile(99.9)), BridgeLoadTool.ms(latency.max()),
                gatewayCpu / seconds, usPerMessage, 100 * (gatewaySys1 - gatewaySys0) / Math.max(gatewayCpu, 0.01),
                switchesPerMessage, brokerCores, (self1 - self0) / seconds, publishers.totalSent(), missing, tally.duplicates.get(), load);
    }

    /**
     * Sends probe messages until one comes out at the far side (at every listener, when there are several): the
     * bridge is connected to its broker and the receivers see what it delivers. Probes are not counted.
     */
    private void awaitPathReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.readySeconds);
        long n = 0;
        while (settings.sink == BridgeLoadSettings.Sink.MQTT_IN ? !tally.everyStreamProbed() : tally.probes.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing sent to the gateway came out at the far side within "
                        + settings.readySeconds + " s: is the bridge route loaded and connected? ("
                        + tally.unparsed.get() + " unparsed, " + tally.foreign.get() + " from other runs)");
            }
            publishers.probe(n++);
            Thread.sleep(200);
        }
        Thread.sleep(500); // let the other probes in flight arrive
    }
}
