package dev.skynetbridge.camel.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * routes/examples/rpc-bridge.yaml in the real gateway (port 9100 swapped for a free one): a skynet
 * RPC call is answered, and a Skynet websocket client listening on "rpc-calls" sees a copy.
 */
class RpcBridgeYamlRouteTest {

    @Test
    void exampleRouteEchoesTheCallAndCopiesItToTheSkynetChannel() throws Exception {
        String yaml = Files.readString(Path.of("routes/examples/rpc-bridge.yaml")).replace("port: 9100", "port: 0");
        Vertx vertx = Vertx.vertx();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("rpc-bridge", yaml));
             RawWebSocket listener = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            listener.sendBinary(V2Codec.encodeOpen(Channel.of("rpc-calls")));
            SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
            await().until(() -> hub.subscriberCount(Channel.of("rpc-calls")) == 1);
            int port = ((SkynetRpcConsumer) gateway.context().getRoute("rpc-bridge").getConsumer()).getActualPort();

            Object reply = gateway.context().createProducerTemplate().requestBody(
                    "skynet-rpc:Echo.Echo?address=127.0.0.1:" + port, Map.of("text", "hi", "n", 3L));

            assertThat(reply).isEqualTo(Map.of("text", "hi", "n", 3L));
            SkynetMessage copied = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(listener.next().bytes())).message();
            assertThat(copied.channel()).isEqualTo(Channel.of("rpc-calls"));
            assertThat(copied.payload()).isEqualTo(Map.of("text", "hi", "n", 3L));
        } finally {
            vertx.close();
        }
    }
}
