package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.PrometheusScrape;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.WebhookReceiver;
import dev.skynetbridge.testsupport.WebhookReceiver.Reply;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outgoing webhook's meters against a real HTTP receiver that answers as scripted: delivered at once, delivered
 * after two retries, refused for good (400), and given up on after its retries: each lands in sent, retried,
 * failed and dead_lettered, and the counters add up.
 */
class WebhookMetricsScrapeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BRIDGE = "door-hook";

    @TempDir
    Path deadLetters;

    @Test
    void deliveriesRetriesAndDeadLettersAreCounted() {
        int managementPort = FreePorts.pick();
        Vertx vertx = Vertx.vertx();
        try (WebhookReceiver receiver = WebhookReceiver.start();
             GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("hook", """
                     - route:
                         id: %s
                         from:
                           uri: "kamelet:skynet-source?channel=42"
                           steps:
                             - to:
                                 uri: kamelet:skynet-webhook-sink
                                 parameters: {name: door, url: "%s", retryDelay: 50, maxRetries: 2,
                                              deadLetterUri: "file:%s?fileExist=Append"}
                     """.formatted(BRIDGE, receiver.uri("/door"), deadLetters)), Map.of(
                     "camel.management.enabled", "true", "skynet.management.port", String.valueOf(managementPort)));
             RawWebSocket computer = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect")) {
            receiver.enqueue(Reply.ok(),
                    Reply.serviceUnavailable(), Reply.serviceUnavailable(), Reply.ok(),
                    Reply.badRequest(),
                    Reply.serviceUnavailable(), Reply.serviceUnavailable(), Reply.serviceUnavailable());
            // One at a time, so each message meets its own part of the script.
            send(computer, 1);
            await().atMost(WAIT).until(() -> value(managementPort, "skynet_bridge_sent_total") == 1);
            send(computer, 2);
            await().atMost(WAIT).until(() -> value(managementPort, "skynet_bridge_sent_total") == 2);
            assertThat(value(managementPort, "skynet_bridge_connected")).isEqualTo(1);
            send(computer, 3);
            await().atMost(WAIT).until(() -> value(managementPort, "skynet_bridge_dead_lettered_total") == 1);
            send(computer, 4);
            await().atMost(WAIT).until(() -> value(managementPort, "skynet_bridge_dead_lettered_total") == 2);

            PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
            assertThat(bridge(scrape, "skynet_bridge_received_total")).isEqualTo(4);
            assertThat(bridge(scrape, "skynet_bridge_sent_total")).isEqualTo(2);
            assertThat(bridge(scrape, "skynet_bridge_failed_total")).isEqualTo(2);
            assertThat(bridge(scrape, "skynet_bridge_queued")).isZero();
            assertThat(bridge(scrape, "skynet_bridge_dropped_total")).isZero();
            assertThat(bridge(scrape, "skynet_bridge_retried_total")).as("two retries each for messages 2 and 4")
                    .isEqualTo(4);
            assertThat(bridge(scrape, "skynet_bridge_connected")).as("the last attempt failed").isZero();
            assertThat(bridge(scrape, "skynet_bridge_last_success_seconds")).isPositive();
            assertThat(receiver.requestCount()).isEqualTo(8);
        } finally {
            vertx.close();
        }
    }

    private static void send(RawWebSocket computer, int reading) {
        computer.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("reading", (long) reading))));
    }

    private static double value(int port, String meter) {
        return bridge(PrometheusScrape.of(port, "/observe/metrics"), meter);
    }

    private static double bridge(PrometheusScrape scrape, String meter) {
        return scrape.value(meter, "bridge", BRIDGE, "kind", "webhook");
    }
}
