package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Websocket v2 listeners of the channel on the gateway's own Skynet server. As the {@code skynet} sink: one
 * listener and no bridge at all, to tell the server's share from the bridge's (the stream is the publisher). As
 * the far side of {@code mqtt-in}: {@code --listeners} of them, each its own stream of the tally, so every
 * listener's arrivals are counted per sequence number.
 */
final class SkynetReceiver implements BridgeReceiver {

    private final BridgeLoadSettings settings;
    private final BridgeLoadTally tally;
    private final Vertx vertx;
    private final int listeners;
    private final boolean streamPerListener;
    private final List<WebSocket> sockets = new ArrayList<>();

    /** @param streamPerListener listener i counts into stream i; otherwise the sequence number names the stream */
    SkynetReceiver(BridgeLoadSettings settings, BridgeLoadTally tally, Vertx vertx, int listeners,
            boolean streamPerListener) {
        this.settings = settings;
        this.tally = tally;
        this.vertx = vertx;
        this.listeners = listeners;
        this.streamPerListener = streamPerListener;
    }

    @Override
    public void start() throws Exception {
        var client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
                .setMaxConnections(listeners + 1).setConnectTimeout(30_000));
        for (int i = 0; i < listeners; i++) {
            WebSocket ws = ServerLoadTool.await(client.connect(new WebSocketConnectOptions()
                    .setHost(settings.host).setPort(settings.port).setURI(settings.path)), "listener connect");
            int stream = streamPerListener ? i : -1;
            // Each socket stays on one event loop: its stream has one writer.
            BridgeProbe probe = new BridgeProbe();
            ws.binaryMessageHandler(frame -> {
                long now = System.nanoTime();
                if (probe.readCbor(frame.getBytes())) {
                    tally.arrived(probe, now, stream);
                } else {
                    tally.unparsed.incrementAndGet();
                }
            });
            ws.writeBinaryMessage(Buffer.buffer(V2Codec.encodeOpen(Channel.of(settings.channel))));
            sockets.add(ws);
        }
    }

    @Override
    public void close() {
        sockets.forEach(WebSocket::close);
    }
}
