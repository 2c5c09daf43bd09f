package dev.skynetbridge.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.WebhookReceiver;
import dev.skynetbridge.testsupport.WebhookReceiver.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** routes/examples/webhook-out.yaml and webhook-in.yaml, unchanged, in the real gateway: both directions. */
class WebhookExamplesTest {

    @Test
    void theExampleFilesWorkAsShipped() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        // Base64 with + and /, and a token with URI characters: both must reach the Kamelets unchanged.
        String secret = "whsec_+/8AAAAAAAAAAAAAAAAAAAAAAAAA";
        String token = "t0ken+&=/%20";
        try (WebhookReceiver receiver = WebhookReceiver.start();
             GatewayUnderTest gateway = GatewayUnderTest.start(Map.of(
                     "webhook-out", Files.readString(Path.of("routes/examples/webhook-out.yaml")),
                     "webhook-in", Files.readString(Path.of("routes/examples/webhook-in.yaml"))), Map.of(
                     "webhook.door.url", receiver.uri("/door").toString(),
                     "webhook.door.secret", secret,
                     "webhook.alerts.token", token));
             RawWebSocket client = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            client.sendBinary(V2Codec.encodeOpen(Channel.of("alerts")));
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "door opened")));
            RecordedRequest out = receiver.takeRequest(Duration.ofSeconds(15));
            assertThat(out).isNotNull();
            assertThat(WebhookReceiver.verifyStandardWebhookSignature(secret, out)).isTrue();
            assertThat(out.bodyText()).contains("\"message\":\"door opened\"");

            org.awaitility.Awaitility.await().until(() -> gateway.context().getRegistry()
                    .findSingleByType(dev.skynetbridge.server.SkynetHub.class).subscriberCount(Channel.of("alerts")) == 1);
            HttpResponse<String> in = dev.skynetbridge.testsupport.TestHttp.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + gateway.httpPort() + "/hooks/alerts")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"alert\":\"fuel low\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(in.statusCode()).isEqualTo(200);
            assertThat(WebhookInTest.push(client).payload()).isEqualTo(Map.of("alert", "fuel low"));
        } finally {
            vertx.close();
        }
    }
}
