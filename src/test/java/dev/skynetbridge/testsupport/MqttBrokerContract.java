package dev.skynetbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every MQTT broker the tests use must do: MQTT 5 publish/subscribe with user properties,
 * and survive a stop/start so that a reconnecting client receives again (outage tests rely on it).
 */
public abstract class MqttBrokerContract {

    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

    protected abstract String serverUri();

    protected abstract void stopBroker() throws Exception;

    protected abstract void startBroker() throws Exception;

    @Test
    void deliversPublishWithUserPropertiesToSubscriber() throws Exception {
        String topic = "skynet/test/" + UUID.randomUUID();
        try (MqttTestClient subscriber = MqttTestClient.connect(serverUri());
             MqttTestClient publisher = MqttTestClient.connect(serverUri())) {
            subscriber.subscribe(topic);

            publisher.publish(topic, "hello", Map.of("skynet-channel", "n:42"));

            MqttTestClient.Received message = subscriber.poll(RECEIVE_TIMEOUT);
            assertThat(message).as("message on %s", topic).isNotNull();
            assertThat(message.topic()).isEqualTo(topic);
            assertThat(message.payloadText()).isEqualTo("hello");
            assertThat(message.userProperties()).containsEntry("skynet-channel", "n:42");
        }
    }

    @Test
    void reconnectingClientReceivesAgainAfterBrokerRestart() throws Exception {
        String topic = "skynet/outage/" + UUID.randomUUID();
        try (MqttTestClient subscriber = MqttTestClient.connect(serverUri())) {
            subscriber.subscribe(topic);

            stopBroker();
            await("subscriber notices the broker is gone").atMost(Duration.ofSeconds(15))
                    .until(() -> !subscriber.isConnected() && subscriber.connectionLosses() == 1);

            startBroker();
            await("subscriber reconnects by itself").atMost(Duration.ofSeconds(20))
                    .until(() -> subscriber.isConnected() && subscriber.reconnects() == 1);

            try (MqttTestClient publisher = MqttTestClient.connect(serverUri())) {
                // The re-subscribe after reconnect is asynchronous: publish until one arrives.
                MqttTestClient.Received[] got = new MqttTestClient.Received[1];
                await("message after restart").atMost(Duration.ofSeconds(15)).until(() -> {
                    publisher.publish(topic, "after-restart", Map.of("attempt", "x"));
                    got[0] = subscriber.poll(Duration.ofMillis(500));
                    return got[0] != null;
                });
                assertThat(got[0].payloadText()).isEqualTo("after-restart");
                assertThat(got[0].userProperties()).containsEntry("attempt", "x");
            }
        }
    }
}
