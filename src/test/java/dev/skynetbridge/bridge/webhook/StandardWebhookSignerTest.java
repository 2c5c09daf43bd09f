package dev.skynetbridge.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.bridge.webhook.StandardWebhookSigner.Verification;
import dev.skynetbridge.testsupport.WebhookReceiver;
import dev.skynetbridge.testsupport.WebhookReceiver.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhookSignerTest {

    // The Standard Webhooks reference vector (the spec's own test suite), as in WebhookReceiverTest.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final Instant SENT = Instant.ofEpochSecond(TIMESTAMP);

    final StandardWebhookSigner signer = new StandardWebhookSigner(SECRET);

    @Test
    void signsTheSpecVector() {
        assertThat(signer.sign(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesTheSpecVectorAlsoAmongSeveralSignatures() {
        assertThat(verify(SIGNATURE, BODY, SENT)).isEqualTo(Verification.VALID);
        assertThat(verify("v1,bm90LXRoaXMtb25l " + SIGNATURE, BODY, SENT)).isEqualTo(Verification.VALID);
    }

    @Test
    void rejectsATamperedBodyAWrongKeyAndMissingHeaders() {
        assertThat(verify(SIGNATURE, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), SENT))
                .isEqualTo(Verification.BAD_SIGNATURE);
        assertThat(new StandardWebhookSigner("another key").verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY,
                Duration.ofMinutes(5), SENT)).isEqualTo(Verification.BAD_SIGNATURE);
        assertThat(verify("v2," + SIGNATURE.substring(3), BODY, SENT)).as("only v1 is known")
                .isEqualTo(Verification.BAD_SIGNATURE);
        assertThat(signer.verify(ID, Long.toString(TIMESTAMP), null, BODY, Duration.ofMinutes(5), SENT))
                .isEqualTo(Verification.MISSING_HEADERS);
        assertThat(signer.verify(ID, "yesterday", SIGNATURE, BODY, Duration.ofMinutes(5), SENT))
                .isEqualTo(Verification.BAD_TIMESTAMP);
    }

    @Test
    void theTimestampMustBeWithinTheToleranceEitherWay() {
        assertThat(verify(SIGNATURE, BODY, SENT.plusSeconds(299))).isEqualTo(Verification.VALID);
        assertThat(verify(SIGNATURE, BODY, SENT.plusSeconds(301))).isEqualTo(Verification.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(verify(SIGNATURE, BODY, SENT.minusSeconds(301))).isEqualTo(Verification.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void aSecretWithoutThePrefixIsARawKeyAndTheTestReceiverAgrees() {
        StandardWebhookSigner raw = new StandardWebhookSigner("plain shared password");
        String signature = raw.sign("msg_1", TIMESTAMP, BODY);
        assertThat(raw.verify("msg_1", Long.toString(TIMESTAMP), signature, BODY, Duration.ofMinutes(5), SENT))
                .isEqualTo(Verification.VALID);
        // Our signature checked by the independent verifier in testsupport, with the key as whsec_<base64>.
        String asWhsec = "whsec_" + java.util.Base64.getEncoder().encodeToString(
                "plain shared password".getBytes(StandardCharsets.UTF_8));
        RecordedRequest request = new RecordedRequest("POST", "/", null, Map.of("webhook-id", List.of("msg_1"),
                "webhook-timestamp", List.of(Long.toString(TIMESTAMP)), "webhook-signature", List.of(signature)),
                BODY, Instant.now());
        assertThat(WebhookReceiver.verifyStandardWebhookSignature(asWhsec, request)).isTrue();
    }

    @Test
    void badSecretsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new StandardWebhookSigner(" ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new StandardWebhookSigner("whsec_not*base64")).hasMessageContaining("base64");
    }

    Verification verify(String signatures, byte[] body, Instant now) {
        return signer.verify(ID, Long.toString(TIMESTAMP), signatures, body, Duration.ofMinutes(5), now);
    }
}
