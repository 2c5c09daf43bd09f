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
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub's meters, scraped over HTTP from a whole gateway and parsed, against what real v1 and v2 websocket clients
 * did: connections by protocol, channels open, messages sent, deliveries, and drops of a client that stops reading.
 */
class HubMetricsScrapeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final int managementPort = FreePorts.pick();
    private GatewayUnderTest gateway;
    private Vertx vertx;

    @BeforeEach
    void start() {
        gateway = GatewayUnderTest.start(Map.of(), Map.of(
                "camel.management.enabled", "true",
                "skynet.management.port", String.valueOf(managementPort),
                "skynet.server.send-queue-limit", "16"));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (vertx != null) {
            vertx.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.of(managementPort, "/observe/metrics");
    }

    private RawWebSocket connect(String path) {
        return RawWebSocket.connect(vertx, gateway.skynetPort(), path);
    }

    @Test
    void countsWhatRealClientsSentAndReceived() {
        RawWebSocket listener = connect("/connect");
        listener.sendBinary(V2Codec.encodeOpen(Channel.of(42)));
        RawWebSocket sender = connect("/connect");
        RawWebSocket v1 = connect("/v1/connect");
        await().atMost(WAIT).until(() -> scrape().value("skynet_channels_open") == 1);

        for (int i = 0; i < 5; i++) {
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), "reading " + i)));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(listener.next().binary()).isTrue();
        }

        PrometheusScrape scrape = scrape();
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.type("skynet_messages_received_total")).contains("counter");
        assertThat(scrape.type("skynet_clients_connected")).contains("gauge");
        assertThat(scrape.value("skynet_messages_received_total", "protocol", "v2")).isEqualTo(5);
        assertThat(scrape.value("skynet_messages_received_total", "protocol", "v1")).isZero();
        assertThat(scrape.value("skynet_deliveries_total")).isEqualTo(5);
        assertThat(scrape.value("skynet_clients_connected", "protocol", "v2")).isEqualTo(2);
        assertThat(scrape.value("skynet_clients_connected", "protocol", "v1")).isEqualTo(1);
        assertThat(scrape.value("skynet_deliveries_dropped_total", "reason", "queue_full")).isZero();
        assertThat(scrape.find("camel_routes_added_routes")).as("Camel's own meters are there too").isNotEmpty();
        assertThat(scrape.find("skynet_clients_connected")).as("no channel label anywhere")
                .allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKey("channel"));

        sender.close();
        v1.close();
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape after = scrape();
            assertThat(after.value("skynet_clients_connected", "protocol", "v2")).isEqualTo(1);
            assertThat(after.value("skynet_clients_connected", "protocol", "v1")).isZero();
        });
        listener.close();
    }

    @Test
    void aClientThatStopsReadingLosesTheOldestAndEveryMessageIsAccountedFor() {
        RawWebSocket slow = connect("/connect");
        slow.sendBinary(V2Codec.encodeOpen(Channel.of("flood")));
        RawWebSocket sender = connect("/connect");
        await().atMost(WAIT).until(() -> scrape().value("skynet_channels_open") == 1);
        slow.pauseReading();

        int sent = 3_000;
        String payload = "x".repeat(4_096);
        for (int i = 0; i < sent; i++) {
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("flood"), payload)));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(scrape().value("skynet_messages_received_total", "protocol",
                "v2")).isEqualTo(sent));
        PrometheusScrape scrape = scrape();
        double dropped = scrape.value("skynet_deliveries_dropped_total", "reason", "queue_full");
        assertThat(dropped).as("the slow client's queue (16) overflowed").isPositive();
        assertThat(scrape.value("skynet_deliveries_total")).isEqualTo(sent);
        // Drops happen when the sender outpaces the queue's drain, not only once the reader's socket is full: the
        // queue may have emptied into the socket since, so only its bound is certain here.
        assertThat(scrape.value("skynet_send_queue_depth_max")).isBetween(0.0, 16.0);

        slow.resumeReading();
        int received = 0;
        while (slow.poll(2_000) != null) {
            received++;
        }
        assertThat(received + dropped).as("what the client got plus what was dropped is what was sent")
                .isEqualTo(sent);
        sender.close();
        slow.close();
    }
}
