package dev.skynetbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.WebhookReceiver.RecordedRequest;
import dev.skynetbridge.testsupport.WebhookReceiver.Reply;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

    // The Standard Webhooks reference vector (the spec's own test suite).
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String VECTOR_TIMESTAMP = "1614265330";
    private static final String VECTOR_BODY = "{\"test\": 2432232314}";
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void verifiesTheSpecReferenceVector() {
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(VECTOR_SECRET,
                vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE))).isTrue();
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(VECTOR_SECRET,
                vectorRequest(VECTOR_BODY, "v1,bm90LXRoaXMtb25l " + VECTOR_SIGNATURE)))
                .as("one valid signature among several").isTrue();
    }

    @Test
    void rejectsTamperedBodyWrongSecretAndMissingHeaders() {
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(VECTOR_SECRET,
                vectorRequest("{\"test\": 2432232315}", VECTOR_SIGNATURE))).isFalse();
        assertThat(WebhookReceiver.verifyStandardWebhookSignature("whsec_" + Base64.getEncoder()
                .encodeToString("another key of some length!".getBytes(StandardCharsets.UTF_8)),
                vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE))).isFalse();
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(VECTOR_SECRET,
                new RecordedRequest("POST", "/", null, Map.of(), VECTOR_BODY.getBytes(StandardCharsets.UTF_8),
                        Instant.now()))).isFalse();
    }

    @Test
    void timestampToleranceIsCheckedBothWays() {
        RecordedRequest request = vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE);
        Instant sent = Instant.ofEpochSecond(Long.parseLong(VECTOR_TIMESTAMP));
        assertThat(WebhookReceiver.isTimestampWithin(request, Duration.ofMinutes(5), sent.plusSeconds(299))).isTrue();
        assertThat(WebhookReceiver.isTimestampWithin(request, Duration.ofMinutes(5), sent.plusSeconds(301))).isFalse();
        assertThat(WebhookReceiver.isTimestampWithin(request, Duration.ofMinutes(5), sent.minusSeconds(301))).isFalse();
    }

    @Test
    void recordsASignedPostThatVerifies() throws Exception {
        byte[] key = "a 32 byte key for webhook tests!".getBytes(StandardCharsets.US_ASCII);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String body = "{\"channel\":\"n:42\",\"message\":\"door opened\"}";
        String id = "msg_skynet_1";
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        // Signed here with the JDK directly, independently of the receiver's verifier.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(receiver.uri("/hooks/door?src=test"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", "v1," + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest recorded = receiver.takeRequest(Duration.ofSeconds(5));
        assertThat(recorded).isNotNull();
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/hooks/door");
        assertThat(recorded.query()).isEqualTo("src=test");
        assertThat(recorded.header("content-type")).isEqualTo("application/json");
        assertThat(recorded.bodyText()).isEqualTo(body);
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(secret, recorded)).isTrue();
        assertThat(WebhookReceiver.isTimestampWithin(recorded, Duration.ofMinutes(5), Instant.now())).isTrue();
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(
                "whsec_" + Base64.getEncoder().encodeToString("some other 32 byte key for tests".getBytes(
                        StandardCharsets.US_ASCII)), recorded)).isFalse();
    }

    @Test
    void answersAsScriptedThenWithTheDefault() throws Exception {
        receiver.enqueue(Reply.serviceUnavailable(), Reply.tooManyRequests(Duration.ofSeconds(7)), Reply.badRequest());

        List<HttpResponse<String>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(post("/hook", "attempt-" + i, Duration.ofSeconds(10)));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(503, 429, 400, 200);
        assertThat(responses.get(1).headers().firstValue("Retry-After")).hasValue("7");
        assertThat(receiver.drainRequests()).extracting(RecordedRequest::bodyText)
                .containsExactly("attempt-0", "attempt-1", "attempt-2", "attempt-3");
        assertThat(receiver.requestCount()).isEqualTo(4);
    }

    @Test
    void hangingReplyNeverAnswersButOtherRequestsAreServed() throws Exception {
        receiver.enqueue(Reply.hang());

        assertThatThrownBy(() -> post("/hook", "slow", Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(post("/hook", "next", Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
        assertThat(receiver.drainRequests()).extracting(RecordedRequest::bodyText).containsExactly("slow", "next");
    }

    @Test
    void keepsOnlyTheNewestRequestsUpToCapacity() throws Exception {
        try (WebhookReceiver small = WebhookReceiver.start(2)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(small.uri("/h"))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("r" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> small.requestCount() == 3);
            assertThat(small.droppedCount()).isEqualTo(1);
            assertThat(small.requests()).extracting(RecordedRequest::bodyText).containsExactly("r1", "r2");
        }
    }

    private HttpResponse<String> post(String path, String body, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(receiver.uri(path))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RecordedRequest vectorRequest(String body, String signatureHeader) {
        return new RecordedRequest("POST", "/", null, Map.of(
                "webhook-id", List.of(VECTOR_ID),
                "webhook-timestamp", List.of(VECTOR_TIMESTAMP),
                "webhook-signature", List.of(signatureHeader)),
                body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }
}
