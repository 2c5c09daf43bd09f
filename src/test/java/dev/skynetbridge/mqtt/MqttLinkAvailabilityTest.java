package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.MqttTestClient;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A link's availability against a Mosquitto the test starts: retained online after every connect (also after the
 * broker restarted and forgot it), retained offline on a clean stop, nothing at all when it is off. The last will
 * (a killed gateway) is in bridge.homeassistant.LastWillTest.
 */
class MqttLinkAvailabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static MosquittoBroker broker;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void startBroker() {
        MosquittoBroker.assumeAvailable();
        broker = new MosquittoBroker(); // not persistent: a restart forgets retained messages
        broker.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    static MqttLink link(MqttAvailability availability) {
        return new MqttLink(broker.serverUri(), "status-test-" + UUID.randomUUID(),
                new MqttLinkOptions(100, 100, 500, 5, 30, null, null), availability, scheduler);
    }

    /** The retained message on a topic as a new subscriber sees it, or null when there is none. */
    static String retained(String topic) throws Exception {
        try (MqttTestClient client = MqttTestClient.connect(broker.serverUri())) {
            client.subscribe(topic);
            MqttTestClient.Received received = client.poll(QUIET);
            return received == null ? null : received.payloadText();
        }
    }

    @Test
    void onlineAfterEveryConnectAndOfflineOnACleanStop() throws Exception {
        String topic = "t1/status";
        try (MqttLink link = link(new MqttAvailability(topic, "up", "down"))) {
            link.start();
            await().atMost(WAIT).until(link::isConnected);
            await().atMost(WAIT).until(() -> "up".equals(retained(topic)));

            broker.stop();
            broker.start();
            // The broker keeps nothing across the restart (persistence false), so an "up" now is the link's again.
            await("the link says online again after its reconnect").atMost(WAIT)
                    .until(() -> link.status().connects() == 2 && "up".equals(retained(topic)));
        }
        assertThat(retained(topic)).as("a clean stop says offline first").isEqualTo("down");
    }

    @Test
    void offMeansNoStatusMessagesAtAll() throws Exception {
        try (MqttTestClient watcher = MqttTestClient.connect(broker.serverUri())) {
            watcher.subscribe("#");
            try (MqttLink link = link(MqttAvailability.off())) {
                link.start();
                await().atMost(WAIT).until(link::isConnected);
            }
            assertThat(watcher.poll(QUIET)).as("no status on any topic, at connect or at stop").isNull();
        }
    }
}
