package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.spi.SupervisingRouteController;
import org.junit.jupiter.api.Test;

/**
 * A route that fails to start is started again in the background by Camel's supervising route controller;
 * between two attempts the gateway is not ready. Found by docker/test.sh: a route that failed to start took
 * its own check with it, and /observe/health (the image's HEALTHCHECK) said UP while the route did nothing.
 */
class RestartingRouteHealthTest {

    @Test
    void readinessIsDownWhileARouteWaitsToBeStartedAgain() throws Exception {
        // A plain paho-mqtt5 consumer cannot start while its broker is down (nothing listens on a free port).
        String routeFile = """
                - route:
                    id: lamp-from-mqtt
                    from:
                      uri: "paho-mqtt5:lamp/set?brokerUrl=tcp://127.0.0.1:%d"
                      steps:
                        - to: "skynet:lamp"
                """.formatted(FreePorts.pick());
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("lamp", routeFile))) {
            SupervisingRouteController controller = gateway.context().getRouteController()
                    .adapt(SupervisingRouteController.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> controller.getRestartingRoutes().stream()
                            .anyMatch(route -> route.getRouteId().equals("lamp-from-mqtt")));
            var readiness = HealthCheckHelper.invokeReadiness(gateway.context());
            assertThat(readiness)
                    .as("readiness while lamp-from-mqtt waits for its next start: %s", readiness.stream()
                            .map(result -> result.getCheck().getId() + "=" + result.getState()).toList())
                    .anyMatch(result -> result.getState() == HealthCheck.State.DOWN);
        }
    }

    @Test
    void readinessIsDownWhileTheKafkaArchiveCannotReachItsBrokers() throws Exception {
        // The compose case that found the problem: the Kafka name does not resolve (yet).
        String archive = java.nio.file.Files.readString(java.nio.file.Path.of("routes/examples/kafka-archive.yaml"));
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("kafka-archive", archive),
                Map.of("skynet.kafka.brokers", "no-such-kafka.invalid:9092"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> HealthCheckHelper.invokeReadiness(gateway.context())
                    .stream().anyMatch(result -> result.getState() == HealthCheck.State.DOWN));
        }
    }
}
