package dev.skynetbridge.server;

import static dev.skynetbridge.testsupport.AccessFiles.anonymousYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.PipelinedWebSocket;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.SelfSignedPem;
import dev.skynetbridge.testsupport.TestSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a secret can reach the server, good and bad, with every logger (ours, Vert.x's,
 * Netty's) at ALL: no line may hold a secret, URL paths included. The base class checks every
 * line captured since the first access control test class started, after each class.
 */
class SecretsNotLoggedTest extends AclServerHarness {

    static AutoCloseable allLevels;

    @BeforeAll
    static void logEverything() {
        allLevels = LogCapture.everything();
    }

    @AfterAll
    static void restoreLevels() throws Exception {
        allLevels.close();
    }

    @Test
    void goodAndBadTokensInEveryPlace() throws Exception {
        start(files.tokenYaml("reactor", "{ allow: readwrite, channels: [42] }"), anonymousYaml(),
                options().limits(ConnectionLimits.DEFAULTS.withMessageRate(2, 2).withChannelsPerConnection(1)));
        RawWebSocket path = client(files.token("reactor"));
        RawWebSocket query = connect("/connect?token=" + files.token("reactor"), Map.of());
        RawWebSocket header = connect("/connect/", Map.of("Authorization", "Bearer " + files.token("reactor")));
        RawWebSocket v1 = connect("/v1/connect/" + files.token("reactor"), Map.of());
        open(path, 42);
        open(path, 43); // refused: logged with the token's name
        query.sendHex("ff00"); // a protocol error, logged at DEBUG
        for (int i = 0; i < 5; i++) {
            send(header, 42, i); // over the rate: logged
        }
        v1.sendText("{\"type\":\"open\",\"channel\":1}");
        await().until(() -> access().refused(Refusal.MESSAGE_RATE) > 0 && access().refused(Refusal.OPEN_NO_RULE) > 0);

        String wrong = TestSecrets.create();
        assertThat(upgradeStatus("/connect/reactor:" + wrong)).isEqualTo(401);
        assertThat(upgradeStatus("/connect/nobody:" + TestSecrets.create())).isEqualTo(401);
        assertThat(upgradeStatus("/connect/" + TestSecrets.create())).as("no name: all of it is secret").isEqualTo(401);
        assertThat(upgradeStatus("/connect/" + files.token("reactor") + "?token=reactor:" + TestSecrets.create()))
                .isEqualTo(401);
        assertThat(access().refused(Refusal.WRONG_SECRET) + access().refused(Refusal.UNKNOWN_TOKEN)
                + access().refused(Refusal.MALFORMED_TOKEN)).isEqualTo(4);
        // targets a URI parser refuses (Vert.x answers 400 before the gate): its client would not even send them
        assertThat(rawUpgradeStatus("/v1/connect/reactor:" + TestSecrets.create() + "%zz")).isEqualTo(400);
        assertThat(rawUpgradeStatus("/connect/reactor:" + TestSecrets.create() + "|^{}")).isEqualTo(400);

        // an oversize frame, a revocation and a reload, all of a token's connection
        try (PipelinedWebSocket big = PipelinedWebSocket.connect(server.actualPort(), "/connect/" + files.token("reactor"))) {
            big.writeTogether(PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true,
                    V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "x".repeat(200_000)))));
            assertThat(big.read().closeCode()).isEqualTo(1009);
        }
        rewrite(files.tokenYaml("other", "{ allow: read, channels: [1] }"), anonymousYaml());
        assertThat(path.awaitClose()).isEqualTo((short) 1008);
    }

    @Test
    void wssWithATokenInThePath() throws Exception {
        var pem = SelfSignedPem.create(dir);
        start(files.tokenYaml("secure", "{ allow: readwrite, channels: [5] }"), "",
                options().tls(pem.certificate().toString(), pem.privateKey().toString()));
        RawWebSocket socket = RawWebSocket.connect(vertx, server.actualPort(), "/connect/" + files.token("secure"), true);
        sockets.add(socket);
        open(socket, 5);
        await().until(() -> subscribers(Channel.of(5)) == 1);
        assertThat(RawWebSocket.upgradeStatus(vertx, server.actualPort(), "/connect/secure:" + TestSecrets.create(), true,
                Map.of())).isEqualTo(401);
    }

    /** An upgrade sent by hand; the HTTP status of the answer, or -1 if the server closed without one. */
    int rawUpgradeStatus(String target) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int read = in.readNBytes(head, 0, 12);
            String status = new String(head, 0, read, StandardCharsets.ISO_8859_1);
            return status.startsWith("HTTP/1.1 ") ? Integer.parseInt(status.substring(9, 12)) : -1;
        }
    }
}
