package dev.skynetbridge.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.WebhookReceiver;
import dev.skynetbridge.testsupport.WebhookReceiver.RecordedRequest;
import dev.skynetbridge.testsupport.WebhookReceiver.Reply;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skynet-webhook-sink Kamelet through the real gateway: a real websocket client sends on a channel, a real
 * HTTP server (WebhookReceiver) answers as scripted and checks the Standard Webhooks signature.
 */
class WebhookOutTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    static Path deadLetters;
    static Vertx vertx;
    static WebhookReceiver receiver;
    static WebhookReceiver slowReceiver;
    static WebhookReceiver unavailableReceiver;
    static GatewayUnderTest gateway;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        receiver = WebhookReceiver.start();
        slowReceiver = WebhookReceiver.start();
        unavailableReceiver = WebhookReceiver.start();
        unavailableReceiver.setDefaultReply(Reply.serviceUnavailable());
        String deadLetterUri = "file:" + deadLetters + "?fileExist=Append";
        gateway = GatewayUnderTest.start(Map.of("webhooks", """
                - route:
                    id: webhook-out-door
                    from:
                      uri: "kamelet:skynet-source?channel=42&bridgeId=webhook-door"
                      steps:
                        - to:
                            uri: kamelet:skynet-webhook-sink
                            parameters: {name: door, url: "%s", secret: "RAW(%s)", retryDelay: 100, maxRetries: 2,
                                         responseTimeout: 1000, deadLetterUri: "%s"}
                - route:
                    id: webhook-out-slow
                    from:
                      uri: "kamelet:skynet-source?channel=43&bridgeId=webhook-slow"
                      steps:
                        - to:
                            uri: kamelet:skynet-webhook-sink
                            parameters: {name: slow, url: "%s", maxRetries: 0, responseTimeout: 60000, deadLetterUri: "%s"}
                - route:
                    id: webhook-out-once
                    from:
                      uri: "kamelet:skynet-source?channel=44&bridgeId=webhook-once"
                      steps:
                        - to:
                            uri: kamelet:skynet-webhook-sink
                            parameters: {name: once, url: "%s", maxRetries: 0, deadLetterUri: "%s"}
                - route:
                    from:
                      uri: "kamelet:skynet-source?channel=s:chat"
                      steps:
                        - to:
                            uri: kamelet:skynet-webhook-sink
                            parameters: {name: chat, url: "%s", bodyTemplate: 'RAW({"content": "Door: ${body}"})'}
                - route:
                    id: other-route
                    from:
                      uri: "skynet:43"
                      steps:
                        - to: "seda:other"
                """.formatted(receiver.uri("/hooks/door"), SECRET, deadLetterUri, slowReceiver.uri("/slow"),
                deadLetterUri, unavailableReceiver.uri("/once"), deadLetterUri, receiver.uri("/chat"))));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        receiver.close();
        slowReceiver.close();
        unavailableReceiver.close();
        vertx.close();
    }

    RawWebSocket client() {
        return RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
    }

    void send(Object payload, Map<String, Object> extras) {
        send(42, payload, extras);
    }

    void send(long channel, Object payload, Map<String, Object> extras) {
        try (RawWebSocket client = client()) {
            client.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of(channel), payload,
                    extras == null ? null : new LinkedHashMap<>(extras), null, null)));
        }
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest request = receiver.takeRequest(Duration.ofSeconds(15));
        assertThat(request).as("a webhook request").isNotNull();
        return request;
    }

    @Test
    void aSignedJsonPostWithExactlyTheExpectedHeadersAndBody() throws Exception {
        send(Map.of("door", "open"), Map.of("sender", "turtle"));
        RecordedRequest request = take();

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hooks/door");
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(SECRET, request)).isTrue();
        assertThat(WebhookReceiver.isTimestampWithin(request, Duration.ofMinutes(1), Instant.now())).isTrue();
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("webhook-id")).startsWith("msg_");
        assertThat(request.headers().keySet()).as("no Camel or Skynet headers leak to the receiver")
                .allSatisfy(name -> assertThat(name.toLowerCase()).doesNotStartWith("camel").doesNotStartWith("skynet"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) JsonValues.parse(request.body());
        assertThat(body).containsEntry("type", "skynet.message").containsKey("timestamp");
        assertThat(body.get("data")).isEqualTo(Map.of(
                "id", request.header("webhook-id").substring("msg_".length()),
                "channel", 42L,
                "message", Map.of("door", "open"),
                "extras", Map.of("sender", "turtle")));
    }

    @Test
    void aBodyTemplateReplacesTheDefaultBodyAndNoSecretMeansNoSignature() throws Exception {
        receiver.drainRequests();
        try (RawWebSocket client = client()) {
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("chat"), "open")));
        }
        RecordedRequest request = take();
        assertThat(request.path()).isEqualTo("/chat");
        assertThat(request.bodyText()).isEqualTo("{\"content\": \"Door: open\"}");
        assertThat(request.header("webhook-signature")).isNull();
    }

    @Test
    void a503IsRetriedAndTheMessageDeliveredOnce() throws Exception {
        receiver.drainRequests();
        receiver.enqueue(Reply.serviceUnavailable());
        send("retry-503", null);

        RecordedRequest first = take();
        RecordedRequest second = take();
        awaitIdle("door");
        assertThat(second.header("webhook-id")).as("the same id on every attempt").isEqualTo(first.header("webhook-id"));
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(SECRET, second)).isTrue();
        assertThat(second.bodyText()).isEqualTo(first.bodyText()).contains("retry-503");
        assertThat(receiver.drainRequests()).as("no attempt after the 200").isEmpty();
        assertThat(deadLetterLines()).noneMatch(line -> line.contains("retry-503"));
    }

    @Test
    void withNoRetriesA503IsPostedExactlyOnce() throws Exception {
        // The HTTP client must not re-send a POST by itself after a 503 or 429: every attempt is
        // the route's, counted against maxRetries (here 0), logged and dead-lettered by it.
        send(44, "only-once", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterLines("once").size() == 1);
        assertThat(unavailableReceiver.requestCount()).as("POSTs for a message with maxRetries=0").isEqualTo(1);
        assertThat(deadLetterLines("once").get(0)).contains("only-once").contains("\"attempts\":1");
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        receiver.drainRequests();
        receiver.enqueue(Reply.tooManyRequests(Duration.ofSeconds(1)));
        send("rate-limited", null);

        RecordedRequest first = take();
        RecordedRequest second = take();
        awaitIdle("door");
        // The backoff alone would retry after 100 ms; the receiver asked for 1 s.
        assertThat(Duration.between(first.receivedAt(), second.receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(second.bodyText()).contains("rate-limited");
    }

    @Test
    void otherClientErrorsAreNotRetriedAndGoToTheDeadLetterWithTheReason() throws Exception {
        receiver.drainRequests();
        receiver.enqueue(Reply.badRequest());
        send("rejected-400", null);

        RecordedRequest only = take();
        Map<String, Object> line = awaitDeadLetter("rejected-400");
        assertThat(receiver.drainRequests()).as("a 400 is not retried").isEmpty();
        assertThat(line).containsEntry("webhook", "door").containsEntry("status", 400L).containsEntry("attempts", 1L)
                .containsEntry("channel", "n:42").containsEntry("webhookId", only.header("webhook-id"));
        assertThat((String) line.get("reason")).startsWith("HTTP 400");
        assertThat(line.get("body")).isEqualTo(JsonValues.parse(only.body()));
    }

    @Test
    void aHangingReceiverTimesOutIsRetriedThenDeadLettered() throws Exception {
        receiver.drainRequests();
        receiver.enqueue(Reply.hang(), Reply.hang(), Reply.hang());
        send("hangs", null);

        Map<String, Object> line = awaitDeadLetter("hangs");
        assertThat(line).containsEntry("attempts", 3L).containsEntry("status", null);
        assertThat(((String) line.get("reason")).toLowerCase()).contains("timeout");
        assertThat(receiver.drainRequests()).hasSize(3).allSatisfy(r -> assertThat(r.bodyText()).contains("hangs"));
    }

    @Test
    void aHangingWebhookDoesNotStallAnotherRouteOnTheSameChannel() throws Exception {
        slowReceiver.enqueue(Reply.hang());
        var consumer = gateway.context().createConsumerTemplate();
        send(43, "first", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> slowReceiver.requestCount() == 1);
        assertThat(consumer.receiveBody("seda:other", 10_000)).isEqualTo("first");

        send(43, "second", null);
        assertThat(consumer.receiveBody("seda:other", 10_000)).as("the other route keeps flowing").isEqualTo("second");
        assertThat(gateway.context().getInflightRepository().size("webhook-out-slow"))
                .as("while the webhook still waits for its answer").isEqualTo(1);
        assertThat(slowReceiver.requestCount()).isEqualTo(1);

        slowReceiver.close(); // the hanging connection drops: no retries configured, so both go to the dead letter
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterLines("slow").size() == 2);
        assertThat(deadLetterLines("slow")).anySatisfy(line -> assertThat(line).contains("\"first\""))
                .anySatisfy(line -> assertThat(line).contains("\"second\""));
    }

    static void awaitIdle(String webhook) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> gateway.context().getInflightRepository().size("webhook-out-" + webhook) == 0);
    }

    static List<String> deadLetterLines() throws Exception {
        return deadLetterLines("door");
    }

    static List<String> deadLetterLines(String webhook) throws Exception {
        Path file = deadLetters.resolve("webhook-" + webhook + ".jsonl");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> awaitDeadLetter(String marker) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterLines().stream().anyMatch(l -> l.contains(marker)));
        String line = deadLetterLines().stream().filter(l -> l.contains(marker)).findFirst().orElseThrow();
        return (Map<String, Object>) JsonValues.parse(line);
    }
}
