package dev.skynetbridge.server;

import static dev.skynetbridge.testsupport.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.RawWebSocket.Frame;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The embedded server over real websockets on loopback: routing, v1, v2, v1<->v2, errors, limits. */
class SkynetServerTest {

    static final String OPEN_42 = "82646f70656e182a";
    static final String OPEN_WILDCARD = "82646f70656e612a";
    static final String SEND_42_HI = "82676d657373616765a2676368616e6e656c182a676d657373616765626869";
    /** No reply is expected: wait this long to be reasonably sure nothing comes. */
    static final long QUIET_MS = 300;

    Vertx vertx;
    SkynetServer server;
    final List<RawWebSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        startServer(new ServerOptions().host("127.0.0.1").port(0));
    }

    void startServer(ServerOptions options) {
        if (server != null) {
            server.stop();
        }
        server = new SkynetServer(vertx, options, new SkynetHub(options.v1LogSize()));
        server.start();
    }

    @AfterEach
    void stop() {
        sockets.forEach(RawWebSocket::close);
        server.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    RawWebSocket v2(String path) {
        RawWebSocket socket = RawWebSocket.connect(vertx, server.actualPort(), path);
        sockets.add(socket);
        return socket;
    }

    RawWebSocket v2() {
        return v2("/connect/");
    }

    RawWebSocket v1() {
        return v2("/v1/connect");
    }

    /** Opening has no acknowledgement: wait until the hub has the subscription. */
    void awaitChannels(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hub().channelCount() >= count);
    }

    static SkynetMessage push(Frame frame) throws Exception {
        assertThat(frame.binary()).as("v2 pushes are binary frames").isTrue();
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(frame.bytes())).message();
    }

    static Map<?, ?> json(Frame frame) throws Exception {
        assertThat(frame.binary()).as("v1 frames are text").isFalse();
        return (Map<?, ?>) JsonValues.parse(frame.text());
    }

    @Nested
    class V2Routing {

        @Test
        void aListenerGetsTheMessageAndTheSenderDoesNot() throws Exception {
            RawWebSocket listener = v2();
            RawWebSocket sender = v2();
            listener.sendHex(OPEN_42);
            sender.sendHex(OPEN_42);
            await().until(() -> server.hub().channelCount() == 1);
            Thread.onSpinWait();
            sender.sendHex(SEND_42_HI);

            Frame frame = listener.next();
            String expectedPrefix = "82676d657373616765bf676368616e6e656c182a676d6573736167656268696474696d65";
            assertThat(frame.hex()).startsWith(expectedPrefix).endsWith("ff");
            assertThat(push(frame).payload()).isEqualTo("hi");
            assertThat(push(frame).time()).isNotNull();
            assertThat(sender.poll(QUIET_MS)).as("the sender never receives its own message").isNull();
        }

        @Test
        void everyConnectPathServesV2() throws Exception {
            for (String path : List.of("/connect", "/connect/", "/connect/some/thing")) {
                RawWebSocket listener = v2(path);
                listener.sendHex(OPEN_42);
                RawWebSocket sender = v2(path);
                awaitChannels(1);
                await().until(() -> server.hub().metrics().connectionsOpen() >= 2);
                // Every connection gets the flush merging (a Vert.x upgrade could silently remove its hook).
                assertThat(server.hub().metrics().flushConsolidatedConnections())
                        .isEqualTo(server.hub().metrics().connectionsOpened());
                // wait for the listener's open to land before sending
                await().until(() -> openCount(Channel.of(42)) >= 1);
                sender.sendHex(SEND_42_HI);
                assertThat(push(listener.next()).payload()).as(path).isEqualTo("hi");
                listener.close();
                sender.close();
                await().until(() -> server.hub().channelCount() == 0);
            }
        }

        @Test
        void aWildcardListenerGetsEveryMessageOnce() throws Exception {
            RawWebSocket wildcard = v2();
            wildcard.sendHex(OPEN_WILDCARD).sendHex(OPEN_42);
            RawWebSocket direct = v2();
            direct.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 2 && openCount(Channel.WILDCARD) == 1);
            RawWebSocket sender = v2();
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "one")));
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("elsewhere"), "two")));

            assertThat(push(wildcard.next()).payload()).isEqualTo("one");
            assertThat(push(wildcard.next()).payload()).isEqualTo("two");
            assertThat(wildcard.poll(QUIET_MS)).as("once, even with 42 also open").isNull();
            assertThat(push(direct.next()).payload()).isEqualTo("one");
            assertThat(direct.poll(QUIET_MS)).isNull();
        }

        @Test
        void sendingToTheWildcardReachesOnlyWildcardListeners() throws Exception {
            RawWebSocket wildcard = v2();
            wildcard.sendHex(OPEN_WILDCARD);
            RawWebSocket direct = v2();
            direct.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 1 && openCount(Channel.WILDCARD) == 1);
            v2().sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.WILDCARD, "all?")));

            SkynetMessage received = push(wildcard.next());
            assertThat(received.channel()).isEqualTo(Channel.WILDCARD);
            assertThat(direct.poll(QUIET_MS)).isNull();
        }

        @Test
        void numericAndStringChannelsAreDistinct() throws Exception {
            RawWebSocket numeric = v2();
            numeric.sendBinary(V2Codec.encodeOpen(Channel.of(5)));
            RawWebSocket text = v2();
            text.sendBinary(V2Codec.encodeOpen(Channel.of("5")));
            await().until(() -> openCount(Channel.of(5)) == 1 && openCount(Channel.of("5")) == 1);
            v2().sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("5"), "string five")));

            assertThat(push(text.next()).channel()).isEqualTo(Channel.of("5"));
            assertThat(numeric.poll(QUIET_MS)).isNull();
        }

        @Test
        void openIsIdempotentAndClosingAChannelNotOpenIsANoOp() throws Exception {
            RawWebSocket listener = v2();
            listener.sendHex(OPEN_42).sendHex(OPEN_42);
            listener.sendBinary(V2Codec.encodeClose(Channel.of("never-opened")));
            await().until(() -> openCount(Channel.of(42)) == 1);
            v2().sendHex(SEND_42_HI);
            assertThat(push(listener.next()).payload()).isEqualTo("hi");
            assertThat(listener.poll(QUIET_MS)).as("one open, one delivery; no reply to close").isNull();

            listener.sendBinary(V2Codec.encodeClose(Channel.of(42)));
            await().until(() -> openCount(Channel.of(42)) == 0);
            v2().sendHex(SEND_42_HI);
            assertThat(listener.poll(QUIET_MS)).isNull();
        }

        @Test
        void cborInTextFramesIsAccepted() throws Exception {
            RawWebSocket listener = v2();
            // Old Lua clients sent CBOR in text frames: CC widens each byte to a character, so the frame
            // holds C2 82 64 6f70656e 18 2a; the server reads the raw bytes, and C2 is a tag it skips.
            listener.sendText(new String(dev.skynetbridge.testsupport.Hex.bytes(OPEN_42), StandardCharsets.ISO_8859_1));
            await().until(() -> openCount(Channel.of(42)) == 1);
            v2().sendHex(SEND_42_HI);
            assertThat(push(listener.next()).payload()).isEqualTo("hi");
        }
    }

    int openCount(Channel channel) {
        return server.hub().subscriberCount(channel);
    }

    @Nested
    class V2Errors {

        @Test
        void aBadFrameGetsTheErrorAndTheConnectionStaysUsable() throws Exception {
            RawWebSocket client = v2();
            RawWebSocket bystander = v2();
            bystander.sendHex(OPEN_42);
            client.sendHex("82646f70656efb4045000000000000"); // float channel
            Frame error = client.next();
            assertThat(error.hex()).isEqualTo(hex(V2Codec.encodeError("data did not match any variant of untagged enum Channel")));
            client.sendHex("82676d657373616765a1676368616e6e656c182a");
            assertThat(client.next().hex()).isEqualTo(hex(V2Codec.encodeError("missing field `message`")));
            client.sendText("[\"open\",42]");
            assertThat(((V2ServerFrame.Error) V2Codec.decodeServerFrame(client.next().bytes())).detail())
                    .isEqualTo("EOF while parsing a value at offset 11");

            client.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 2);
            bystander.sendHex(SEND_42_HI);
            assertThat(push(client.next()).payload()).isEqualTo("hi");
            assertThat(bystander.poll(QUIET_MS)).as("errors go only to the offending client").isNull();
            assertThat(server.hub().metrics().protocolErrors()).isEqualTo(3);
        }

        @Test
        void anOversizeFrameClosesThatClientWith1009Only() throws Exception {
            startServer(new ServerOptions().host("127.0.0.1").port(0).maxFrameSize(1024));
            RawWebSocket bystander = v2();
            bystander.sendHex(OPEN_42);
            RawWebSocket big = v2();
            big.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "x".repeat(4000))));
            assertThat(big.awaitClose()).isEqualTo((short) 1009);
            await().until(() -> openCount(Channel.of(42)) == 1);
            v2().sendHex(SEND_42_HI);
            assertThat(push(bystander.next()).payload()).isEqualTo("hi");
        }

        @Test
        void aMessageOverTheLimitInSmallFragmentsAlsoCloses1009() throws Exception {
            startServer(new ServerOptions().host("127.0.0.1").port(0).maxFrameSize(1024));
            RawWebSocket big = v2();
            byte[] chunk = new byte[600];
            big.sendFrame(io.vertx.core.http.WebSocketFrame.binaryFrame(io.vertx.core.buffer.Buffer.buffer(chunk), false));
            big.sendFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(io.vertx.core.buffer.Buffer.buffer(chunk),
                    true));
            assertThat(big.awaitClose()).isEqualTo((short) 1009);
            assertThat(server.hub().metrics().oversizeFrames()).isEqualTo(1);
        }

        @Test
        void pingsAreAnswered() {
            RawWebSocket client = v2();
            assertThat(client.ping(new byte[] {1, 2, 3}).getBytes()).containsExactly(1, 2, 3);
            client.sendHex(OPEN_42);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Nested
    class V1 {

        @Test
        void openMessageCloseAndEvents() throws Exception {
            RawWebSocket listener = v1();
            listener.sendText("{\"type\":\"open\",\"channel\":42}");
            assertThat(json(listener.next())).isEqualTo(Map.of("type", "result", "for", "open", "channels", List.of(42L)));
            listener.sendText("{\"type\":\"open\",\"channel\":\"x\"}");
            assertThat(json(listener.next()).get("channels")).isEqualTo(List.of(42L, "x"));

            RawWebSocket sender = v1();
            sender.sendText("{\"type\":\"message\",\"channel\":42,\"message\":{\"a\":1},\"sender\":\"bob\"}");
            Map<?, ?> result = json(sender.next());
            assertThat(result.get("type")).isEqualTo("result");
            assertThat(result.get("for")).isEqualTo("message");
            assertThat(result.get("ID")).isNotNull();

            Map<?, ?> event = json(listener.next());
            assertThat(event.get("type")).isEqualTo("message");
            assertThat(event.get("channel")).isEqualTo(42L);
            assertThat(event.get("message")).isEqualTo(Map.of("a", 1L));
            assertThat(event.get("sender")).isEqualTo("bob");
            assertThat(event.get("ID")).isEqualTo(result.get("ID"));
            assertThat(event.get("time")).isInstanceOf(Long.class);
            assertThat(sender.poll(QUIET_MS)).as("the sender is not a recipient").isNull();

            listener.sendText("{\"type\":\"close\",\"channel\":42}");
            assertThat(json(listener.next()).get("channels")).isEqualTo(List.of("x"));
            listener.sendText("{\"type\":\"close\",\"channel\":42}");
            assertThat(json(listener.next()).get("type")).isEqualTo("error");
        }

        @Test
        void errorsKeepTheConnectionUsable() throws Exception {
            RawWebSocket client = v1();
            client.sendText("[1]");
            assertThat(json(client.next())).isEqualTo(Map.of("type", "error", "error", "Message must be object"));
            client.sendText("{\"type\":\"dance\"}");
            assertThat(json(client.next())).isEqualTo(Map.of("type", "error", "error", "No such command dance"));
            client.sendText("not json");
            assertThat(json(client.next()).get("type")).isEqualTo("error");
            client.sendText("{\"type\":\"open\",\"channel\":1}");
            assertThat(json(client.next()).get("type")).isEqualTo("result");
        }

        @Test
        void theLogIsNewestFirstAndBounded() throws Exception {
            startServer(new ServerOptions().host("127.0.0.1").port(0).v1LogSize(3));
            RawWebSocket client = v1();
            for (int i = 1; i <= 5; i++) {
                client.sendText("{\"type\":\"message\",\"channel\":1,\"message\":" + i + "}");
                client.next();
            }
            client.sendText("{\"type\":\"log\"}");
            Map<?, ?> log = json(client.next());
            assertThat(log.get("for")).isEqualTo("log");
            assertThat(((List<?>) log.get("log")).stream().<Object>map(e -> ((Map<?, ?>) e).get("message")))
                    .containsExactly(5L, 4L, 3L);
            client.sendText("{\"type\":\"log\",\"start\":1,\"end\":2}");
            assertThat(((List<?>) json(client.next()).get("log")).stream().<Object>map(e -> ((Map<?, ?>) e).get("message")))
                    .containsExactly(4L);
        }

        @Test
        void aJsonFirstFrameOnConnectMakesAV1Client() throws Exception {
            RawWebSocket client = v2("/connect");
            client.sendText("  {\"type\":\"open\",\"channel\":7}");
            assertThat(json(client.next()).get("channels")).isEqualTo(List.of(7L));
        }
    }

    @Nested
    class V1AndV2Together {

        @Test
        void theyShareOneChannelSpace() throws Exception {
            RawWebSocket v1 = v1();
            v1.sendText("{\"type\":\"open\",\"channel\":42}");
            v1.next();
            RawWebSocket v2 = v2();
            v2.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 2);

            v2.sendHex(SEND_42_HI);
            Map<?, ?> event = json(v1.next());
            assertThat(event.get("message")).isEqualTo("hi");
            assertThat(event.get("channel")).isEqualTo(42L);

            v1.sendText("{\"type\":\"message\",\"channel\":42,\"message\":[1,2],\"sender\":\"v1\"}");
            SkynetMessage pushed = push(v2.next());
            assertThat(pushed.payload()).isEqualTo(List.of(1L, 2L));
            assertThat(pushed.extras()).containsExactly(Map.entry("sender", "v1"));
        }
    }

    @Nested
    class Tls {

        @Test
        void servesWssFromPemFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
            var pem = dev.skynetbridge.testsupport.SelfSignedPem.create(dir);
            startServer(new ServerOptions().host("127.0.0.1").port(0)
                    .tls(pem.certificate().toString(), pem.privateKey().toString()));
            RawWebSocket listener = RawWebSocket.connect(vertx, server.actualPort(), "/connect", true);
            sockets.add(listener);
            RawWebSocket sender = RawWebSocket.connect(vertx, server.actualPort(), "/connect", true);
            sockets.add(sender);
            listener.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 1);
            sender.sendHex(SEND_42_HI);
            assertThat(push(listener.next()).payload()).isEqualTo("hi");
        }
    }

    @Nested
    class SlowClients {

        void flood(int messages) {
            RawWebSocket sender = v2();
            byte[] frame = V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "x".repeat(8000)));
            for (int i = 0; i < messages; i++) {
                sender.sendBinary(frame);
            }
        }

        @Test
        void dropOldestCountsWhatItDropsAndKeepsTheClient() {
            startServer(new ServerOptions().host("127.0.0.1").port(0).sendQueueLimit(8)
                    .overflowPolicy(OverflowPolicy.DROP_OLDEST));
            RawWebSocket slow = v2();
            slow.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 1);
            slow.pauseReading();
            flood(3000);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.hub().metrics().deliveriesDropped() > 0);
            assertThat(slow.isClosed()).isFalse();
            slow.resumeReading();
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.pending() > 0);
        }

        @Test
        void closePolicyDisconnectsOnlyTheSlowClient() throws Exception {
            startServer(new ServerOptions().host("127.0.0.1").port(0).sendQueueLimit(8)
                    .overflowPolicy(OverflowPolicy.CLOSE));
            RawWebSocket slow = v2();
            slow.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 1);
            slow.pauseReading();
            flood(3000);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.hub().metrics().slowClientsClosed() == 1);
            slow.resumeReading();
            assertThat(slow.awaitClose()).isEqualTo((short) 1008);

            RawWebSocket healthy = v2();
            healthy.sendHex(OPEN_42);
            await().until(() -> openCount(Channel.of(42)) == 1);
            v2().sendHex(SEND_42_HI);
            assertThat(push(healthy.next()).payload()).isEqualTo("hi");
        }
    }
}
