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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The skynet-webhook-source Kamelet through the real gateway: real HTTP POSTs to /hooks/<name>, a real
 * websocket client listening on the channel.
 */
class WebhookInTest {

    static final String TOKEN = "s3cret-token";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static Vertx vertx;
    static GatewayUnderTest gateway;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        gateway = GatewayUnderTest.start(Map.of("hooks", """
                - route:
                    from:
                      uri: kamelet:skynet-webhook-source
                      parameters: {name: grafana, token: "%s", maxBodySize: 1000}
                      steps:
                        - to: "kamelet:skynet-sink?channel=s:alerts&bridgeId=webhook-grafana"
                - route:
                    from:
                      uri: kamelet:skynet-webhook-source
                      parameters: {name: signed, hmacSecret: "RAW(%s)"}
                      steps:
                        - to: "kamelet:skynet-sink?channel=7&bridgeId=webhook-signed"
                """.formatted(TOKEN, SECRET)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close();
    }

    static RawWebSocket listen(Channel channel) {
        RawWebSocket client = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
        client.sendBinary(V2Codec.encodeOpen(channel));
        SkynetHub hub = gateway.context().getRegistry().findSingleByType(SkynetHub.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount(channel) == 1);
        return client;
    }

    static SkynetMessage push(RawWebSocket client) throws Exception {
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
    }

    static HttpResponse<String> post(String hook, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + "/hooks/" + hook)).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Object json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JsonValues.parse(response.body());
    }

    @Test
    void aJsonPostWithTheTokenArrivesOnTheChannelAsAValue() throws Exception {
        try (RawWebSocket client = listen(Channel.of("alerts"))) {
            HttpResponse<String> response = post("grafana", "{\"alert\":\"fuel low\",\"level\":2}", Map.of(
                    "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json",
                    "SkynetOverrideChannel", "n:99"));

            assertThat(response.statusCode()).isEqualTo(200);
            SkynetMessage message = push(client);
            assertThat(message.channel()).as("request headers cannot redirect the message").isEqualTo(Channel.of("alerts"));
            assertThat(message.payload()).isEqualTo(Map.of("alert", "fuel low", "level", 2L));
            assertThat(message.extras()).isEmpty();
            Map<?, ?> answer = (Map<?, ?>) json(response);
            assertThat(answer.get("sent")).isEqualTo(true);
            assertThat(answer.get("id")).as("the Skynet message id").isInstanceOf(String.class);
        }
    }

    @Test
    void aPlainTextPostArrivesAsText() throws Exception {
        try (RawWebSocket client = listen(Channel.of("alerts"))) {
            HttpResponse<String> response = post("grafana", "door opened", Map.of(
                    "Authorization", "Bearer " + TOKEN, "Content-Type", "text/plain"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(push(client).payload()).isEqualTo("door opened");
        }
    }

    @Test
    void badRequestsGetA4xxWithAJsonErrorAndSendNothing() throws Exception {
        try (RawWebSocket client = listen(Channel.of("alerts"))) {
            HttpResponse<String> noToken = post("grafana", "{}", Map.of("Content-Type", "application/json"));
            assertThat(noToken.statusCode()).isEqualTo(401);
            assertThat(json(noToken)).isEqualTo(Map.of("error",
                    "missing or wrong bearer token (Authorization: Bearer <token>)"));

            assertThat(post("grafana", "{}", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);

            HttpResponse<String> notJson = post("grafana", "{oops", Map.of(
                    "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"));
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(json(notJson).toString()).startsWith("{error=");

            HttpResponse<String> tooLarge = post("grafana", "x".repeat(1001), Map.of("Authorization", "Bearer " + TOKEN));
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(json(tooLarge).toString()).startsWith("{error=");

            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gateway.httpPort() + "/hooks/grafana")).header("Authorization", "Bearer " + TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(json(get)).isEqualTo(Map.of("error", "use POST"));

            assertThat(client.poll(300)).as("nothing reached the channel").isNull();
        }
    }

    @Test
    void aStandardWebhooksSignedPostIsAcceptedAndATamperedOneRejected() throws Exception {
        StandardWebhookSigner signer = new StandardWebhookSigner(SECRET);
        String body = "{\"event\":\"deploy\"}";
        long now = Instant.now().getEpochSecond();
        try (RawWebSocket client = listen(Channel.of(7))) {
            HttpResponse<String> signed = post("signed", body, Map.of("Content-Type", "application/json",
                    "webhook-id", "msg_1", "webhook-timestamp", Long.toString(now),
                    "webhook-signature", signer.sign("msg_1", now, body.getBytes(StandardCharsets.UTF_8))));
            assertThat(signed.statusCode()).isEqualTo(200);
            assertThat(push(client).payload()).isEqualTo(Map.of("event", "deploy"));

            HttpResponse<String> tampered = post("signed", "{\"event\":\"destroy\"}", Map.of(
                    "Content-Type", "application/json", "webhook-id", "msg_1", "webhook-timestamp", Long.toString(now),
                    "webhook-signature", signer.sign("msg_1", now, body.getBytes(StandardCharsets.UTF_8))));
            assertThat(tampered.statusCode()).isEqualTo(401);
            assertThat(json(tampered)).isEqualTo(Map.of("error", "no webhook-signature matches the body"));

            long old = now - 3600;
            HttpResponse<String> replayed = post("signed", body, Map.of("Content-Type", "application/json",
                    "webhook-id", "msg_1", "webhook-timestamp", Long.toString(old),
                    "webhook-signature", signer.sign("msg_1", old, body.getBytes(StandardCharsets.UTF_8))));
            assertThat(replayed.statusCode()).isEqualTo(401);
            assertThat(client.poll(300)).isNull();
        }
    }
}
