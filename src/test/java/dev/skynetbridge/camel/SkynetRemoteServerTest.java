package dev.skynetbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.ServerOptions;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.SkynetServer;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * skynet: endpoints as clients of a separate Skynet server over a real websocket: v2 and v1,
 * started while the server is down, and a server stopped and restarted under a consumer.
 */
class SkynetRemoteServerTest {

    Vertx vertx;
    int port;
    SkynetServer remote;
    GatewayUnderTest gateway;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        port = FreePorts.pick();
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        if (remote != null) {
            remote.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    void startRemote() {
        remote = new SkynetServer(vertx, new ServerOptions().host("127.0.0.1").port(port), new SkynetHub(100));
        remote.start();
    }

    void stopRemote() {
        remote.stop();
        remote = null;
    }

    String server(String path, String protocol) {
        return "server=ws://127.0.0.1:" + port + path + "&protocol=" + protocol
               + "&reconnectInitialDelay=50&reconnectMaxDelay=400";
    }

    int managementPort;

    void startGateway(String path, String protocol) {
        String routes = """
                - route:
                    id: remote-in
                    from:
                      uri: "skynet:42?%1$s"
                      steps:
                        - to: "seda:remote"
                - route:
                    id: remote-out
                    from:
                      uri: "direct:remote"
                      steps:
                        - to: "skynet:9?%1$s"
                """.formatted(server(path, protocol));
        managementPort = FreePorts.pick();
        gateway = GatewayUnderTest.start(Map.of("remote", routes), Map.of("skynet.server.enabled", "false",
                "camel.management.enabled", "true", "skynet.management.port", String.valueOf(managementPort)));
    }

    RawWebSocket remoteClient() {
        return RawWebSocket.connect(vertx, port, "/connect");
    }

    Exchange receive() {
        Exchange exchange = gateway.context().createConsumerTemplate().receive("seda:remote", 10_000);
        assertThat(exchange).as("a message through the remote consumer").isNotNull();
        return exchange;
    }

    void awaitSubscribers(Channel channel, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> remote.hub().subscriberCount(channel) == count);
    }

    @Test
    void consumesAndProducesOverV2() throws Exception {
        startRemote();
        startGateway("/connect", "v2");
        awaitSubscribers(Channel.of(42), 1);
        try (RawWebSocket client = remoteClient()) {
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("x", 1L))));
            Exchange exchange = receive();
            assertThat(exchange.getMessage().getBody()).isEqualTo(Map.of("x", 1L));
            assertThat(exchange.getMessage().getHeader(SkynetConstants.CHANNEL)).isEqualTo("n:42");
            assertThat(exchange.getMessage().getHeader(SkynetConstants.MESSAGE_ID)).isNotNull();

            client.sendBinary(V2Codec.encodeOpen(Channel.of(9)));
            awaitSubscribers(Channel.of(9), 1);
            gateway.context().createProducerTemplate().sendBody("direct:remote", "[1,2]");
            SkynetMessage pushed = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
            assertThat(pushed.payload()).isEqualTo(java.util.List.of(1L, 2L));
        }
    }

    @Test
    void consumesAndProducesOverV1() throws Exception {
        startRemote();
        startGateway("/v1/connect", "v1");
        awaitSubscribers(Channel.of(42), 1);
        try (RawWebSocket client = remoteClient()) {
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "from v2")));
            Exchange exchange = receive();
            assertThat(exchange.getMessage().getBody()).isEqualTo("from v2");
            assertThat(exchange.getMessage().getHeader(SkynetConstants.MESSAGE_ID, String.class))
                    .as("the v1 server's ID").isNotBlank();

            client.sendBinary(V2Codec.encodeOpen(Channel.of(9)));
            awaitSubscribers(Channel.of(9), 1);
            gateway.context().createProducerTemplate().sendBody("direct:remote", "{\"a\":true}");
            SkynetMessage pushed = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
            assertThat(pushed.payload()).isEqualTo(Map.of("a", true));
        }
    }

    java.net.http.HttpResponse<String> health() throws Exception {
        return dev.skynetbridge.testsupport.TestHttp.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + managementPort + "/observe/health?data=true")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHealthEndpointShowsAnUnreachableServer() throws Exception {
        startGateway("/connect", "v2");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var response = health();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("skynet").contains("127.0.0.1:" + port).contains("DOWN");
        });
        startRemote();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            var response = health();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"UP\"");
        });
    }

    @Test
    void startsWhileTheServerIsDownAndReconnectsAfterARestart() throws Exception {
        startGateway("/connect", "v2");
        assertThat(gateway.context().getRouteController().getRouteStatus("remote-in").isStarted())
                .as("the route starts while the server is down").isTrue();
        gateway.context().createProducerTemplate().sendBody("direct:remote", "sent while down");

        startRemote();
        awaitSubscribers(Channel.of(42), 1);
        try (RawWebSocket client = remoteClient()) {
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "first")));
            assertThat(receive().getMessage().getBody()).isEqualTo("first");
        }
        assertThat(remote.hub().metrics().messagesPublished())
                .as("the send buffered while the server was down went out after connecting").isEqualTo(2);

        for (int restart = 1; restart <= 2; restart++) {
            stopRemote();
            startRemote();
            awaitSubscribers(Channel.of(42), 1);
            try (RawWebSocket client = remoteClient()) {
                client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "after restart " + restart)));
                assertThat(receive().getMessage().getBody()).isEqualTo("after restart " + restart);
                assertThat(gateway.context().createConsumerTemplate().receive("seda:remote", 300))
                        .as("no duplicate subscription: the message arrives once").isNull();
            }
            assertThat(remote.hub().subscriberCount(Channel.of(42))).isEqualTo(1);
            // The test client has closed; what stays is the gateway's one connection, shared by both routes.
            await().atMost(Duration.ofSeconds(10)).until(() -> remote.hub().metrics().connectionsOpen() == 1);
        }
    }
}
