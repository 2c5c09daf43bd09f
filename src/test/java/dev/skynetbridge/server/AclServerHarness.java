package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.AccessFiles;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.TestSecrets;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A server with an access file over real websockets on loopback, for the access control tests. */
abstract class AclServerHarness {

    static final long QUIET_MS = 300;

    @TempDir
    Path dir;
    Path aclFile;
    final AccessFiles files = new AccessFiles();
    Vertx vertx;
    SkynetServer server;
    final List<RawWebSocket> sockets = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        LogCapture.install();
    }

    @AfterAll
    static void noSecretWasLogged() {
        TestSecrets.assertNoneLogged();
    }

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        aclFile = dir.resolve("acl.yaml");
    }

    @AfterEach
    void stop() {
        sockets.forEach(RawWebSocket::close);
        if (server != null) {
            server.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    ServerOptions options() {
        return new ServerOptions().host("127.0.0.1").port(0).accessFile(aclFile.toString()).accessFileCheckMillis(50);
    }

    void start(String tokenBlocks, String rest) {
        start(tokenBlocks, rest, options());
    }

    void start(String tokenBlocks, String rest, ServerOptions options) {
        AccessFiles.write(aclFile, tokenBlocks, rest);
        server = new SkynetServer(vertx, options, new SkynetHub(100));
        server.start();
    }

    /** Rewrites the file and waits until the server has reloaded it. */
    void rewrite(String tokenBlocks, String rest) {
        long before = access().reloads();
        AccessFiles.write(aclFile, tokenBlocks, rest);
        await().atMost(Duration.ofSeconds(10)).until(() -> access().reloads() > before);
    }

    AccessMetrics access() {
        return server.hub().metrics().access();
    }

    /** A v2 client presenting the token in the path, as client.lua does; null: none. */
    RawWebSocket client(String token) {
        return connect(token == null ? "/connect/" : "/connect/" + token, Map.of());
    }

    RawWebSocket connect(String path, Map<String, String> headers) {
        RawWebSocket socket = RawWebSocket.connect(vertx, server.actualPort(), path, false, headers);
        sockets.add(socket);
        return socket;
    }

    int upgradeStatus(String path) {
        return RawWebSocket.upgradeStatus(vertx, server.actualPort(), path, false, Map.of());
    }

    int subscribers(Channel channel) {
        return server.hub().subscriberCount(channel);
    }

    static SkynetMessage push(RawWebSocket.Frame frame) throws Exception {
        V2ServerFrame decoded = V2Codec.decodeServerFrame(frame.bytes());
        assertThat(decoded).as("a push, not %s", decoded).isInstanceOf(V2ServerFrame.Push.class);
        return ((V2ServerFrame.Push) decoded).message();
    }

    static V2ServerFrame.Error error(RawWebSocket.Frame frame) throws Exception {
        V2ServerFrame decoded = V2Codec.decodeServerFrame(frame.bytes());
        assertThat(decoded).as("an error frame, not %s", decoded).isInstanceOf(V2ServerFrame.Error.class);
        return (V2ServerFrame.Error) decoded;
    }

    static void open(RawWebSocket socket, Object channel) {
        socket.sendBinary(V2Codec.encodeOpen(Channel.fromValue(channel)));
    }

    static void send(RawWebSocket socket, Object channel, Object payload) {
        socket.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.fromValue(channel), payload)));
    }
}
