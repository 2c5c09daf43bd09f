package dev.skynetbridge.camel;

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

/** routes/examples/skynet-relay.yaml, unchanged: channel 42 of one gateway reaches channel 42 of another one. */
class SkynetRelayExampleTest {

    @Test
    void aMessageOnTheEmbeddedServerReachesTheRemoteServer() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (GatewayUnderTest remote = GatewayUnderTest.start(Map.of());
             GatewayUnderTest relaying = GatewayUnderTest.start(
                     Map.of("relay", Files.readString(Path.of("routes/examples/skynet-relay.yaml"))),
                     Map.of("relay.server", "ws://127.0.0.1:" + remote.skynetPort() + "/connect"));
             RawWebSocket listener = RawWebSocket.connect(vertx, remote.skynetPort(), "/connect/");
             RawWebSocket turtle = RawWebSocket.connect(vertx, relaying.skynetPort(), "/connect/")) {
            SkynetHub remoteHub = remote.context().getRegistry().findSingleByType(SkynetHub.class);
            listener.sendBinary(V2Codec.encodeOpen(Channel.of(42)));
            await().until(() -> remoteHub.subscriberCount(Channel.of(42)) == 1);

            turtle.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("fuel", 9L))));
            SkynetMessage relayed = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(listener.next().bytes())).message();
            assertThat(relayed.channel()).isEqualTo(Channel.of(42));
            assertThat(relayed.payload()).isEqualTo(Map.of("fuel", 9L));
        } finally {
            vertx.close();
        }
    }
}
