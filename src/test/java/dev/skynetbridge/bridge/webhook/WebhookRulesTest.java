package dev.skynetbridge.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules of outgoing webhooks: which answers are retried, Retry-After, the default body. */
class WebhookRulesTest {

    @Test
    void retriesTimeoutsRateLimitsAndServerErrorsOnly() {
        assertThat(DeliveryOutcome.ofStatus(200)).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(DeliveryOutcome.ofStatus(204)).isEqualTo(DeliveryOutcome.DELIVERED);
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertThat(DeliveryOutcome.ofStatus(status)).as("HTTP %d", status).isEqualTo(DeliveryOutcome.RETRY);
        }
        for (int status : new int[] {301, 400, 401, 403, 404, 410, 413, 422}) {
            assertThat(DeliveryOutcome.ofStatus(status)).as("HTTP %d", status).isEqualTo(DeliveryOutcome.GIVE_UP);
        }
        assertThat(DeliveryOutcome.ofException(new ConnectException("refused"))).isEqualTo(DeliveryOutcome.RETRY);
        assertThat(DeliveryOutcome.ofException(new IllegalStateException(new SocketTimeoutException())))
                .isEqualTo(DeliveryOutcome.RETRY);
        assertThat(DeliveryOutcome.ofException(new IllegalArgumentException("bad url")))
                .isEqualTo(DeliveryOutcome.GIVE_UP);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(RetryAfter.parse("120", now)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now)).hasValue(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now)).as("a past date: now").hasValue(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }

    @Test
    void theDefaultBodyKeepsNumericAndStringChannelsApartAndOmitsEmptyExtras() {
        Instant time = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(new String(WebhookPayload.toJson(Channel.of("42"), new byte[] {(byte) 0xff}, Map.of(), time, "id-1"),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"skynet.message\",\"timestamp\":"
                + "\"2024-05-01T12:00:00Z\",\"data\":{\"id\":\"id-1\",\"channel\":\"42\",\"message\":{\"$bytes\":\"/w==\"}}}");
        String json = new String(WebhookPayload.toJson(Channel.of(42), Map.of("fuel", 80L), Map.of("from", "turtle"),
                time, "id-2"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"skynet.message\",\"timestamp\":\"2024-05-01T12:00:00Z\",\"data\":"
                + "{\"id\":\"id-2\",\"channel\":42,\"message\":{\"fuel\":80},\"extras\":{\"from\":\"turtle\"}}}");
    }
}
