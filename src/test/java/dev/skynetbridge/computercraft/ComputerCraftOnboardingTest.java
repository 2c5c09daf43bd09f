package dev.skynetbridge.computercraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.server.acl.TokenHash;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.cc.EmulatedComputer;
import dev.skynetbridge.testsupport.cc.LuaConversions.LuaBytes;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ComputerCraft side end to end: the installer fetched over HTTP from a running gateway and
 * run in emulated computers (LuaJ), the installed library talking to the gateway over real
 * websockets: numeric and string channels, tables and non-UTF-8 strings, a gateway restarted on
 * the same port under two computers, and a server error returned to the program as a value.
 */
class ComputerCraftOnboardingTest {

    static final Path REPOSITORY_FILES = Path.of("src/main/resources/computercraft");

    Vertx vertx;
    int port;
    GatewayUnderTest gateway;
    final List<EmulatedComputer> computers = new ArrayList<>();
    @TempDir
    Path temp;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        port = FreePorts.pick();
        gateway = startGateway();
    }

    GatewayUnderTest startGateway() {
        return GatewayUnderTest.start(Map.of(), Map.of("skynet.server.port", String.valueOf(port)));
    }

    @AfterEach
    void stop() {
        computers.forEach(EmulatedComputer::close);
        stopGateway();
        vertx.close();
    }

    /** Stops the gateway and its Skynet server (main.stop() alone leaves the embedded services running). */
    void stopGateway() {
        if (gateway != null) {
            var services = gateway.application().services();
            gateway.close();
            if (services != null) {
                services.close();
            }
            gateway = null;
        }
    }

    SkynetHub hub() {
        return gateway.application().services().hub();
    }

    /** A new computer with the gateway's installer run in it (wget run <url>). */
    EmulatedComputer installed(int id, String label, String installUrl) throws Exception {
        Path root = Files.createDirectories(temp.resolve("computer-" + id));
        EmulatedComputer computer = new EmulatedComputer(vertx, id, label, root);
        computers.add(computer);
        computer.start("report('installed', standin.wget_run(...))", installUrl);
        List<Object> installed = computer.awaitReport("installed", 0);
        assertThat(installed.get(0)).as("installer ran: %s, screen %s", installed, computer.output()).isEqualTo(true);
        await().until(() -> computer.outcome() != null);
        Files.copy(Path.of("src/test/resources/cc/peer.lua"), root.resolve("peer.lua"));
        Files.copy(Path.of("src/test/resources/cc/mistake.lua"), root.resolve("mistake.lua"));
        Files.copy(Path.of("src/test/resources/cc/refused.lua"), root.resolve("refused.lua"));
        Files.copy(Path.of("src/test/resources/cc/denied.lua"), root.resolve("denied.lua"));
        return computer;
    }

    /** The same computer (same files) booted again with a program. */
    EmulatedComputer boot(EmulatedComputer installed, String program, String... args) {
        EmulatedComputer computer = new EmulatedComputer(vertx, installedId(installed), "peer", installed.root());
        computers.add(computer);
        return computer.run(program, args);
    }

    static int installedId(EmulatedComputer computer) {
        return Integer.parseInt(computer.root().getFileName().toString().substring("computer-".length()));
    }

    String installUrl(String query) {
        return "http://127.0.0.1:" + port + "/install" + query;
    }

    static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> response = dev.skynetbridge.testsupport.TestHttp.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    /** A raw HTTP/1.1 GET, so a test can send any Host header; returns the status line and body. */
    String rawGet(String path, String... headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void theInstallerServesTheRepositoryFilesAndConfiguresTheAddressTheComputerUsed() throws Exception {
        for (String name : List.of("skynet.lua", "skynet-demo.lua", "install.lua")) {
            assertThat(get("http://127.0.0.1:" + port + "/computercraft/" + name)).as(name)
                    .isEqualTo(Files.readAllBytes(REPOSITORY_FILES.resolve(name)));
        }
        String installer = new String(get(installUrl("?token=s3cret")), StandardCharsets.UTF_8);
        String installLua = Files.readString(REPOSITORY_FILES.resolve("install.lua"));
        assertThat(installer).endsWith(installLua)
                .contains("server = \"ws://127.0.0.1:" + port + "/connect/s3cret\"")
                .contains("files = \"http://127.0.0.1:" + port + "/computercraft/\"");
        // Only the GATEWAY table in front is generated.
        assertThat(installer.substring(0, installer.length() - installLua.length()).lines().count()).isEqualTo(6);

        EmulatedComputer computer = installed(1, "alpha", installUrl("?token=s3cret"));
        for (String name : List.of("skynet.lua", "skynet-demo.lua")) {
            assertThat(computer.root().resolve(name)).as(name).hasSameBinaryContentAs(REPOSITORY_FILES.resolve(name));
        }
        assertThat(Files.readString(computer.root().resolve("skynet.cfg")))
                .contains("\"ws://127.0.0.1:" + port + "/connect/s3cret\"");
        assertThat(String.join("\n", computer.output())).contains("Try it: skynet-demo").doesNotContain("s3cret");

        // IPv6 literals, proxies that terminate TLS, tokens that need escaping, and a Host that cannot be reused.
        assertThat(rawGet("/install", "Host: [::1]:" + port)).contains("server = \"ws://[::1]:" + port + "/connect/\"");
        assertThat(rawGet("/install?token=a%20b%2F", "Host: mc.example.org", "X-Forwarded-Proto: https"))
                .contains("server = \"wss://mc.example.org/connect/a%20b%2F\"")
                .contains("files = \"https://mc.example.org/computercraft/\"");
        assertThat(rawGet("/install", "Host: evil\"host")).startsWith("HTTP/1.1 400").contains("Host header");
        assertThat(rawGet("/nothing", "Host: 127.0.0.1")).startsWith("HTTP/1.1 404").contains("/install");
    }

    @Test
    void twoComputersExchangeOnNumericAndStringChannelsAndSurviveAGatewayRestart() throws Exception {
        EmulatedComputer alpha = boot(installed(1, "alpha", installUrl("")), "peer.lua", "n:5", "s:5");
        EmulatedComputer beta = boot(installed(2, "beta", installUrl("")), "peer.lua", "n:5", "s:5");
        alpha.awaitReport("ready", 0);
        beta.awaitReport("ready", 0);
        awaitSubscribers(2);

        try (RawWebSocket wire = RawWebSocket.connect(vertx, port, "/connect/")) {
            wire.sendBinary(V2Codec.encodeOpen(Channel.of(5)));
            awaitSubscribers(3);

            alpha.queueEvent("test_command", "send", "n:5", "table");
            List<Object> atBeta = beta.awaitReport("message", 0);
            assertThat(atBeta.subList(0, 3)).containsExactly("number", 5L,
                    Map.of("name", "alpha", "list", List.of(1L, 2.5, "three"), "nested", Map.of("ok", true, "off", false)));
            // On the wire: 1 an integer, 2.5 a float, the table a map.
            SkynetMessage onWire = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(wire.next().bytes())).message();
            assertThat(onWire.channel()).isEqualTo(Channel.of(5));
            assertThat(((Map<?, ?>) onWire.payload()).get("list")).isEqualTo(List.of(1L, 2.5, "three"));

            alpha.queueEvent("test_command", "send", "s:5", "bytes");
            List<Object> bytes = beta.awaitReport("message", 1);
            assertThat(bytes.subList(0, 3)).containsExactly("string", "5", new LuaBytes("\u00ff\u00fe\0binary\u0080"
                    .getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(wire.poll(300)).as("channel \"5\" is not channel 5").isNull();

            beta.queueEvent("test_command", "send", "n:5", "utf8", "extra");
            List<Object> atAlpha = alpha.awaitReport("message", 0);
            assertThat(atAlpha.subList(0, 3)).containsExactly("number", 5L, "caf\u00e9");
            Map<?, ?> full = (Map<?, ?>) atAlpha.get(3);
            assertThat(full.get("sender")).isEqualTo("peer");
            assertThat(full.get("caf\u00e9")).isEqualTo("a UTF-8 key");
            assertThat(full.get("time")).asString().endsWith("Z");
            SkynetMessage fromBeta = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(wire.next().bytes())).message();
            assertThat(fromBeta.payload()).isEqualTo("caf\u00e9");
        }
        assertThat(alpha.reports("message")).hasSize(1);
        assertThat(beta.reports("message")).hasSize(2);

        stopGateway();
        // Both see their connection go down (and keep retrying while nothing listens on the port).
        await().atMost(Duration.ofSeconds(30)).until(() -> alpha.reports("connection").contains(List.of("down"))
                && beta.reports("connection").contains(List.of("down")));
        gateway = startGateway();
        // Both reconnect by themselves and open both channels again.
        awaitSubscribers(2);
        alpha.queueEvent("test_command", "send", "s:5", "integer");
        assertThat(beta.awaitReport("message", 2).subList(0, 3)).containsExactly("string", "5", 42L);
        beta.queueEvent("test_command", "send", "n:5", "big");
        assertThat(alpha.awaitReport("message", 1).subList(0, 3)).containsExactly("number", 5L, 9007199254740992L);
        assertThat(alpha.reports("sent")).allSatisfy(sent -> assertThat(sent.get(0)).isEqualTo(true));
        assertThat(alpha.outcome()).isNull();
    }

    void awaitSubscribers(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway != null
                && hub().subscriberCount(Channel.of(5)) == count
                && hub().subscriberCount(Channel.of("5")) == Math.min(count, 2));
    }

    @Test
    void aServerErrorReachesTheProgramAsAValueAndTheConnectionStaysUsable() throws Exception {
        EmulatedComputer computer = boot(installed(3, "gamma", installUrl("")), "mistake.lua");
        assertThat(computer.awaitReport("sent", 0).get(0)).isEqualTo(true);
        List<Object> error = computer.awaitReport("received", 0);
        assertThat(error.get(0)).isNull();
        assertThat(error.get(1)).isEqualTo(
                "skynet server error (deserialization_failure): invalid type: integer `1`, expected a string");
        await().until(() -> hub().subscriberCount(Channel.of(7)) == 1);
        try (RawWebSocket other = RawWebSocket.connect(vertx, port, "/connect/")) {
            other.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(7), "after the error")));
            assertThat(computer.awaitReport("received", 1).subList(0, 2)).containsExactly(7L, "after the error");
        }
        await().until(() -> "ok".equals(computer.outcome()));
    }

    @Test
    void aRefusalIsReturnedWithItsReasonInsteadOfRetriedForever() throws Exception {
        EmulatedComputer computer = boot(installed(4, "delta", installUrl("")), "refused.lua",
                "ws://127.0.0.1:" + port + "/not-skynet/secret");
        List<Object> opened = computer.awaitReport("opened", 0);
        assertThat(opened.get(0)).isNull();
        assertThat((String) opened.get(1)).contains("getStatus: 404").contains("must end in /connect/");
    }

    @Test
    void withAccessControlTheInstallTokenIsUsedAndEachRefusalReachesTheProgramAsAValue() throws Exception {
        stopGateway();
        Path accessFile = temp.resolve("access.yaml");
        Files.writeString(accessFile, """
                tokens:
                  - name: turtle
                    hash: "%s"
                    rules:
                      - { allow: readwrite, channels: [1] }
                  - name: admin
                    hash: "%s"
                    rules:
                      - { allow: readwrite, channels: ["*"] }
                """.formatted(TokenHash.create("t-secret", TokenHash.MIN_ITERATIONS).encoded(),
                TokenHash.create("a-secret", TokenHash.MIN_ITERATIONS).encoded()));
        gateway = GatewayUnderTest.start(Map.of(), Map.of("skynet.server.port", String.valueOf(port),
                "skynet.server.acl-file", accessFile.toString()));

        EmulatedComputer computer = boot(installed(5, "epsilon", installUrl("?token=turtle:t-secret")), "denied.lua");
        List<Object> denied = computer.awaitReport("received", 0);
        assertThat(denied.get(0)).as("no message, an error value").isNull();
        assertThat((String) denied.get(1)).contains("access_denied").contains("2");
        List<Object> deniedSend = computer.awaitReport("received", 1);
        assertThat(deniedSend.get(0)).isNull();
        assertThat((String) deniedSend.get(1)).contains("access_denied").contains("3");
        await().until(() -> hub().subscriberCount(Channel.of(1)) == 1);
        try (RawWebSocket admin = RawWebSocket.connect(vertx, port, "/connect/admin:a-secret")) {
            admin.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(1), "allowed")));
            assertThat(computer.awaitReport("received", 2).subList(0, 2)).containsExactly(1L, "allowed");
        }
        assertThat(computer.output()).as("the secret is never printed").noneMatch(line -> line.contains("t-secret"));
    }
}
