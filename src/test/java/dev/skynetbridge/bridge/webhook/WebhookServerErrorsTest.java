package dev.skynetbridge.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Errors the webhook HTTP server answers before a hook's guard runs (the server-wide body limit,
 * unknown paths) have the guard's JSON shape. Real gateway, real HTTP client, a real websocket
 * client on the channel to see that a good request still goes through afterwards.
 */
class WebhookServerErrorsTest {

    static final String TOKEN = "s3cret-token";
    /** Below the hook's own maxBodySize (default 64 KiB), so the server's limit is the one that bites. */
    static final int SERVER_LIMIT = 2_000;
    /** Far over the limit and over socket buffers, so a server that stopped reading would stall the client. */
    static final int OVERSIZED = 4 * 1024 * 1024;

    static Vertx vertx;
    static GatewayUnderTest gateway;
    // One client for all requests: its pooled connections are reused, so a connection left in a bad
    // state by an error answer would show in the requests after it.
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        gateway = GatewayUnderTest.start(Map.of("status", """
                - from:
                    uri: "platform-http:/status?httpMethodRestrict=GET"
                    steps:
                      - setBody:
                          constant: "up"
                """, "hooks", """
                - route:
                    from:
                      uri: kamelet:skynet-webhook-source
                      parameters: {name: grafana, token: "%s"}
                      steps:
                        - to: "kamelet:skynet-sink?channel=s:alerts&bridgeId=webhook-grafana"
                """.formatted(TOKEN)), Map.of("skynet.http.max-body-size", Integer.toString(SERVER_LIMIT)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close();
    }

    static URI hook(String name) {
        return URI.create("http://127.0.0.1:" + gateway.httpPort() + "/hooks/" + name);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Map<?, ?> jsonError(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Object json = JsonValues.parse(response.body());
        assertThat(json).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) json).keySet()).map(Object::toString).containsExactly("error");
        return (Map<?, ?>) json;
    }

    static byte[] oversizedBody() {
        byte[] body = new byte[OVERSIZED];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    @Test
    void aBodyWhoseContentLengthIsOverTheServerLimitGetsAJson413() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(hook("grafana"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(oversizedBody())));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(jsonError(response).get("error")).isEqualTo("body is over " + SERVER_LIMIT
                + " bytes, the most this server reads (skynet.http.max-body-size)");
        aNormalRequestStillGoesThrough();
    }

    @Test
    void aChunkedBodyThatGrowsOverTheServerLimitGetsAJson413() throws Exception {
        // An InputStream publisher has no length: the client sends Transfer-Encoding: chunked.
        HttpResponse<String> response = send(HttpRequest.newBuilder(hook("grafana"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversizedBody()))));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(jsonError(response).get("error")).asString().startsWith("body is over " + SERVER_LIMIT);
        aNormalRequestStillGoesThrough();
    }

    @Test
    void anUnknownHookGetsAJson404() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(hook("no-such-hook"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(jsonError(response).get("error")).asString().startsWith("nothing at /hooks/no-such-hook;");

        HttpResponse<String> root = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + "/")).GET());
        assertThat(root.statusCode()).isEqualTo(404);
        jsonError(root);
        aNormalRequestStillGoesThrough();
    }

    @Test
    void aWrongMethodOnAHookGetsAJson405() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(hook("grafana")).PUT(
                HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(jsonError(response)).isEqualTo(Map.of("error", "use POST"));
    }

    @Test
    void aWrongMethodOnAMethodRestrictedRouteGetsAJson405() throws Exception {
        URI status = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/status");
        HttpResponse<String> response = send(HttpRequest.newBuilder(status).POST(HttpRequest.BodyPublishers.ofString("")));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertThat(jsonError(response)).isEqualTo(Map.of("error", "use GET"));
        assertThat(send(HttpRequest.newBuilder(status).GET()).body()).isEqualTo("up");
    }

    /** A POST within every limit, on the same HTTP client, still reaches the channel. */
    static void aNormalRequestStillGoesThrough() throws Exception {
        Channel channel = Channel.of("alerts");
        try (RawWebSocket client = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            client.sendBinary(V2Codec.encodeOpen(channel));
            SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount(channel) == 1);

            HttpResponse<String> response = send(HttpRequest.newBuilder(hook("grafana"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"after\":\"error\"}")));

            assertThat(response.statusCode()).isEqualTo(200);
            SkynetMessage message = ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
            assertThat(message.payload()).isEqualTo(Map.of("after", "error"));
        }
    }
}
