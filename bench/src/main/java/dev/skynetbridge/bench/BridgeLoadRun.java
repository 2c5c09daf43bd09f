package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Connect, prove the path, warm up, measure, drain, report. */
final class BridgeLoadRun {

    private final BridgeLoadSettings settings;
    private final Vertx vertx;
    private final BridgeLoadTally tally;
    private final List<PacedPublisher> publishers = new ArrayList<>();
    private volatile boolean stopping;

    BridgeLoadRun(BridgeLoadSettings settings, Vertx vertx, BridgeLoadTally tally) {
        this.settings = settings;
        this.vertx = vertx;
        this.tally = tally;
    }

    void run() throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(settings.pubs + 4).setConnectTimeout(30_000).setTcpNoDelay(true));
        double perNano = settings.rate <= 0 ? 0 : settings.rate / (double) settings.pubs / 1e9;
        for (int p = 0; p < settings.pubs; p++) {
            WebSocket ws = ServerLoadTool.await(client.connect(new WebSocketConnectOptions()
                            .setHost(settings.host).setPort(settings.port).setURI(settings.path)),
                    "publisher connect to ws://" + settings.host + ":" + settings.port + settings.path);
            publishers.add(publisher(p, ws, perNano));
        }
        awaitPathReady(publishers.get(0).socket());

        for (PacedPublisher publisher : publishers) {
            publisher.start();
        }
        BridgeLoadTool.sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds));
        long self = ProcessHandle.current().pid();
        double gateway0 = BridgeLoadTool.cpu(settings.gatewayPid);
        double gatewaySys0 = settings.gatewayPid > 0 ? ProcStats.systemCpuSeconds(settings.gatewayPid) : -1;
        long switches0 = settings.gatewayPid > 0 ? ProcStats.contextSwitches(settings.gatewayPid) : -1;
        double broker0 = BridgeLoadTool.cpu(settings.brokerPid);
        double self0 = ProcStats.cpuSeconds(self);
        long received0 = tally.totalReceived();
        long sent0 = totalSent();
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
        long sent1 = totalSent();
        double gateway1 = BridgeLoadTool.cpu(settings.gatewayPid);
        double gatewaySys1 = settings.gatewayPid > 0 ? ProcStats.systemCpuSeconds(settings.gatewayPid) : -1;
        long switches1 = settings.gatewayPid > 0 ? ProcStats.contextSwitches(settings.gatewayPid) : -1;
        double broker1 = BridgeLoadTool.cpu(settings.brokerPid);
        double self1 = ProcStats.cpuSeconds(self);
        double load = ProcStats.loadAverage();

        stopping = true;
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainSeconds);
        while (tally.totalReceived() < totalSent() && System.nanoTime() < drainEnd) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // late duplicates, if any
        long missing = totalSent() - tally.totalReceived();
        if (missing > 0) {
            for (int index = 0; index < publishers.size(); index++) {
                long sent = publishers.get(index).sentSoFar();
                System.err.println("missing from publisher " + index + " (of " + sent + " sent): "
                        + tally.firstMissing(index, sent));
            }
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
                brokerCores, (self1 - self0) / seconds, totalSent(), missing, tally.duplicates.get(),
                tally.unparsed.get(), tally.foreign.get(), load);
        System.out.printf(Locale.ROOT, "RESULT|%s|%.0f|%.0f|%.3f|%.3f|%.3f|%.3f|%.2f|%.1f|%.0f|%.2f|%.2f|%.2f|%d|%d|%d|%.2f%n",
                settings.label, delivered, published,
                BridgeLoadTool.ms(latency.valueAtPercentile(50)), BridgeLoadTool.ms(latency.valueAtPercentile(99)),
                BridgeLoadTool.ms(latency.valueAtPercentile(99.9)), BridgeLoadTool.ms(latency.max()),
                gatewayCpu / seconds, usPerMessage, 100 * (gatewaySys1 - gatewaySys0) / Math.max(gatewayCpu, 0.01),
                switchesPerMessage, brokerCores, (self1 - self0) / seconds, totalSent(), missing, tally.duplicates.get(), load);
    }

    /**
     * Sends probe messages until one comes out at the far side: the bridge is connected to its
     * broker and the receiver sees what it delivers. Probes are not counted.
     */
    private void awaitPathReady(WebSocket ws) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.readySeconds);
        long n = 0;
        while (tally.probes.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing sent to the gateway came out at the far side within "
                        + settings.readySeconds + " s: is the bridge route loaded and connected? ("
                        + tally.unparsed.get() + " unparsed, " + tally.foreign.get() + " from other runs)");
            }
            byte[] frame = V2Codec.encodeSend(SkynetMessage.of(Channel.of(settings.channel),
                    BridgeLoadTool.payload(System.nanoTime(), tally.seq(BridgeLoadTally.PROBE_PUBLISHER, n++))));
            ServerLoadTool.contextOf(ws).runOnContext(v -> ws.writeBinaryMessage(Buffer.buffer(frame)));
            Thread.sleep(200);
        }
        Thread.sleep(500); // let the other probes in flight arrive
    }

    private long totalSent() {
        long total = 0;
        for (PacedPublisher publisher : publishers) {
            total += publisher.sentSoFar();
        }
        return total;
    }

    /** One publisher: the frame carries its sequence number and send time, patched into a template. */
    PacedPublisher publisher(int index, WebSocket ws, double perNano) {
        // Long.MAX_VALUE makes both numbers 8-byte CBOR integers, patched in place per message.
        byte[] template = V2Codec.encodeSend(SkynetMessage.of(Channel.of(settings.channel),
                BridgeLoadTool.payload(Long.MAX_VALUE, Long.MAX_VALUE)));
        int stampAt = BridgeProbe.indexOf(template, new byte[] {0x61, 't', 0x1b}, 0) + 3;
        int seqAt = BridgeProbe.indexOf(template, new byte[] {0x63, 's', 'e', 'q', 0x1b}, 0) + 5;
        if (stampAt < 3 || seqAt < 5) {
            throw new IllegalStateException("unexpected send frame layout");
        }
        return new PacedPublisher(vertx, ws, settings.window, perNano, 1024, () -> tally.received.get(index),
                () -> stopping, n -> {
                    Buffer buffer = Buffer.buffer(template.clone());
                    buffer.setLong(seqAt, tally.seq(index, n));
                    buffer.setLong(stampAt, System.nanoTime());
                    return buffer;
                });
    }
}
