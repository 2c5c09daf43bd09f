package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Opens many connections that each open one channel and then stay quiet; reports server RSS. */
final class IdleLoadRun {
    private final ServerLoadSettings settings;
    private final Vertx vertx;
    private final WebSocketClient client;

    IdleLoadRun(ServerLoadSettings settings, Vertx vertx, WebSocketClient client) {
        this.settings = settings;
        this.vertx = vertx;
        this.client = client;
    }

    void run() throws Exception {
        long pid = settings.serverPid;
        long rssBefore = ProcStats.residentKiB(pid);
        System.out.printf(Locale.ROOT, "server pid %d resident before: %,d KiB%n", pid, rssBefore);
        int n = settings.connections;
        WebSocket[] sockets = new WebSocket[n];
        Semaphore permits = new Semaphore(settings.connectConcurrency);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong firstFailure = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connections stopped completing after " + i);
            }
            int slot = i;
            ServerLoadTool.connect(settings, client).onComplete(result -> {
                if (result.succeeded()) {
                    sockets[slot] = result.result();
                    result.result().writeBinaryMessage(
                            Buffer.buffer(V2Codec.encodeOpen(Channel.of(settings.channelBase + slot))));
                } else if (failed.incrementAndGet() == 1) {
                    firstFailure.set(slot);
                    System.err.println("connection " + slot + " failed: " + result.cause());
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(settings.connectConcurrency, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the last connections did not complete");
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%,d connections open in %.1f s (%d failed)%n", n - failed.get(),
                connectSeconds, failed.get());

        boolean routed = checkRouting(sockets);
        Thread.sleep(3000);
        long rssOpen = ProcStats.residentKiB(pid);
        System.out.printf(Locale.ROOT, "server resident with %,d idle connections: %,d KiB%n", n - failed.get(), rssOpen);
        long rssAfterGc = -1;
        if (settings.gcServer && pid > 0) {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (jcmd.waitFor(30, TimeUnit.SECONDS)) {
                Thread.sleep(2000);
                rssAfterGc = ProcStats.residentKiB(pid);
                System.out.printf(Locale.ROOT, "server resident after a full GC (jcmd GC.run): %,d KiB%n", rssAfterGc);
            } else {
                jcmd.destroy();
            }
        }
        if (settings.holdSeconds > 0) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.holdSeconds));
        }
        System.out.printf(Locale.ROOT, "RESULT|idle %d|%d|%d|%d|%d|%s|%.2f%n", n, n - failed.get(), rssBefore,
                rssOpen, rssAfterGc, routed, ProcStats.loadAverage());
    }

    /** One message from the first to the last connection proves the subscriptions are live. */
    private boolean checkRouting(WebSocket[] sockets) throws Exception {
        WebSocket first = sockets[0];
        WebSocket last = sockets[sockets.length - 1];
        if (first == null || last == null || first == last) {
            return false;
        }
        CompletableFuture<Boolean> got = new CompletableFuture<>();
        last.binaryMessageHandler(frame -> got.complete(true));
        long channel = settings.channelBase + sockets.length - 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!got.isDone() && System.nanoTime() < deadline) {
            first.writeBinaryMessage(Buffer.buffer(V2Codec.encodeSend(SkynetMessage.of(Channel.of(channel), "ping"))));
            Thread.sleep(200);
        }
        System.out.println("routing check (first -> last connection's channel): " + (got.isDone() ? "delivered" : "NOT delivered"));
        return got.isDone();
    }
}
