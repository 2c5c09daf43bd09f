package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A websocket subscriber of the channel on the gateway's own Skynet server: no bridge at all,
 * to tell the server's share from the bridge's.
 */
final class SkynetReceiver implements BridgeReceiver {

    private final BridgeLoadSettings settings;
    private final BridgeLoadTally tally;
    private final Vertx vertx;
    private final BridgeProbe probe = new BridgeProbe();

    SkynetReceiver(BridgeLoadSettings settings, BridgeLoadTally tally, Vertx vertx) {
        this.settings = settings;
        this.tally = tally;
        this.vertx = vertx;
    }

    @Override
    public void start() throws Exception {
        WebSocket ws = ServerLoadTool.await(vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                .setHost(settings.host).setPort(settings.port).setURI(settings.path)), "subscriber connect");
        ws.binaryMessageHandler(frame -> {
            long now = System.nanoTime();
            if (probe.readCbor(frame.getBytes())) {
                tally.arrived(probe, now);
            } else {
                tally.unparsed.incrementAndGet();
            }
        });
        ws.writeBinaryMessage(Buffer.buffer(V2Codec.encodeOpen(Channel.of(settings.channel))));
    }

    @Override
    public void close() {
    }
}
