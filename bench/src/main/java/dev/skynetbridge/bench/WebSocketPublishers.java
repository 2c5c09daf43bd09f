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

/** {@code --pubs} websocket v2 publishers into the gateway's Skynet server, one stream each, one receiver behind the bridge. */
final class WebSocketPublishers implements LoadPublishers {

    private final BridgeLoadSettings settings;
    private final Vertx vertx;
    private final BridgeLoadTally tally;
    private final List<PacedPublisher> publishers = new ArrayList<>();
    private volatile boolean stopping;

    WebSocketPublishers(BridgeLoadSettings settings, Vertx vertx, BridgeLoadTally tally) {
        this.settings = settings;
        this.vertx = vertx;
        this.tally = tally;
    }

    @Override
    public void connect() throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(settings.pubs + 4).setConnectTimeout(30_000).setTcpNoDelay(true));
        double perNano = settings.rate <= 0 ? 0 : settings.rate / (double) settings.pubs / 1e9;
        for (int p = 0; p < settings.pubs; p++) {
            WebSocket ws = ServerLoadTool.await(client.connect(new WebSocketConnectOptions()
                            .setHost(settings.host).setPort(settings.port).setURI(settings.path)),
                    "publisher connect to ws://" + settings.host + ":" + settings.port + settings.path);
            publishers.add(publisher(p, ws, perNano));
        }
    }

    @Override
    public void probe(long n) {
        WebSocket ws = publishers.get(0).socket();
        byte[] frame = V2Codec.encodeSend(SkynetMessage.of(Channel.of(settings.channel),
                BridgeLoadTool.payload(System.nanoTime(), tally.seq(BridgeLoadTally.PROBE_PUBLISHER, n))));
        ServerLoadTool.contextOf(ws).runOnContext(v -> ws.writeBinaryMessage(Buffer.buffer(frame)));
    }

    @Override
    public void start() {
        publishers.forEach(PacedPublisher::start);
    }

    @Override
    public void stop() {
        stopping = true;
    }

    @Override
    public long totalSent() {
        long total = 0;
        for (PacedPublisher publisher : publishers) {
            total += publisher.sentSoFar();
        }
        return total;
    }

    @Override
    public long sentToStream(int stream) {
        return publishers.get(stream).sentSoFar();
    }

    @Override
    public long expectedArrivals() {
        return totalSent();
    }

    @Override
    public long failed() {
        return 0;
    }

    @Override
    public void close() {
        stop();
    }

    /** One publisher: the frame carries its sequence number and send time, patched into a template. */
    private PacedPublisher publisher(int index, WebSocket ws, double perNano) {
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
