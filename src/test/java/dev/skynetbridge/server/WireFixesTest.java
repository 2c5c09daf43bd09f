package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.Hex;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.PipelinedWebSocket;
import dev.skynetbridge.testsupport.PipelinedWebSocket.Frame;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two wire bugs found while testing access control, over real sockets. */
class WireFixesTest {

    static final byte[] FLOAT_CHANNEL = Hex.bytes("82646f70656efb4045000000000000");
    static final byte[] MISSING_MESSAGE = Hex.bytes("82676d657373616765a1676368616e6e656c182a");
    static final byte[] OPEN_42 = Hex.bytes(SkynetServerTest.OPEN_42);

    Vertx vertx;
    SkynetServer server;

    @BeforeAll
    static void captureLogs() {
        LogCapture.install();
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = new SkynetServer(vertx, new ServerOptions().host("127.0.0.1").port(0), new SkynetHub(10));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void anOversizeFrameRightBehindOtherFramesGetsTheirRepliesFirstThen1009() throws Exception {
        int logLinesBefore = LogCapture.size();
        byte[] big = V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "x".repeat(200 * 1024)));
        // The issue saw nothing come back 50 times out of 50; every round here must get all three frames.
        for (int round = 0; round < 20; round++) {
            try (PipelinedWebSocket client = PipelinedWebSocket.connect(server.actualPort(), "/connect/")) {
                client.writeTogether(PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true, FLOAT_CHANNEL),
                        PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true, MISSING_MESSAGE),
                        PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true, big));
                assertThat(errorDetail(client.read())).as("round %d, first reply", round)
                        .isEqualTo("data did not match any variant of untagged enum Channel");
                assertThat(errorDetail(client.read())).as("round %d, second reply", round)
                        .isEqualTo("missing field `message`");
                Frame close = client.read();
                assertThat(close).as("round %d: the close frame", round).isNotNull();
                assertThat(close.closeCode()).isEqualTo(1009);
            }
        }
        await().until(() -> server.hub().metrics().oversizeFrames() == 20);
        await().until(() -> server.hub().metrics().connectionsOpen() == 0);
        List<String> escaped = LogCapture.lines().subList(logLinesBefore, LogCapture.size()).stream()
                .filter(line -> line.contains("WebSocket is closed") || line.contains("Unhandled exception")).toList();
        assertThat(escaped).as("no exception escapes while the connection closes").isEmpty();
    }

    @Test
    void openInATextFrameWithBytesThatAreNotUtf8OpensTheChannel() throws Exception {
        try (PipelinedWebSocket listener = PipelinedWebSocket.connect(server.actualPort(), "/connect/");
                RawWebSocket sender = RawWebSocket.connect(vertx, server.actualPort(), "/connect/")) {
            // 82 64 "open" 18 2a: 0x82 cannot start a UTF-8 sequence
            assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(OPEN_42)))
                    .isInstanceOf(java.nio.charset.CharacterCodingException.class);
            listener.writeTogether(PipelinedWebSocket.frame(PipelinedWebSocket.TEXT, true, OPEN_42));
            await().until(() -> server.hub().subscriberCount(Channel.of(42)) == 1);
            sender.sendHex(SkynetServerTest.SEND_42_HI);
            Frame push = listener.read();
            assertThat(push.opcode()).isEqualTo(PipelinedWebSocket.BINARY);
            SkynetMessage message = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(push.payload())).message();
            assertThat(message.channel()).isEqualTo(Channel.of(42));
            assertThat(message.payload()).isEqualTo("hi");
            assertThat(server.hub().metrics().protocolErrors()).isZero();
        }
    }

    static String errorDetail(Frame frame) throws Exception {
        assertThat(frame).as("a reply").isNotNull();
        assertThat(frame.opcode()).isEqualTo(PipelinedWebSocket.BINARY);
        return ((V2ServerFrame.Error) V2Codec.decodeServerFrame(frame.payload())).detail();
    }
}
