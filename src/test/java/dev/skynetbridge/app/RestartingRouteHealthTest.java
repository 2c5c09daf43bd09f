package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.spi.SupervisingRouteController;
import org.junit.jupiter.api.Test;

/**
 * A route that fails to start is started again in the background by Camel's supervising route controller;
 * between two attempts the gateway is not ready. Found by docker/test.sh: with the compose Kafka's name not
 * resolvable yet, the Kafka archive route failed to start, its own check went with it, and
 * /observe/health (the image's HEALTHCHECK) said UP while nothing was archived.
 */
class RestartingRouteHealthTest {

    @Test
    void readinessIsDownWhileARouteWaitsToBeStartedAgain() throws Exception {
        // kafka-archive.yaml as users copy it; a broker name that never resolves makes the Kafka producer,
        // and so the route's start, fail at once.
        String archive = Files.readString(Path.of("routes/examples/kafka-archive.yaml"));
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("kafka-archive", archive),
                Map.of("skynet.kafka.brokers", "no-such-kafka.invalid:9092"))) {
            SupervisingRouteController controller = gateway.context().getRouteController()
                    .adapt(SupervisingRouteController.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> controller.getRestartingRoutes().stream()
                            .anyMatch(route -> route.getRouteId().equals("kafka-archive")));
            var readiness = HealthCheckHelper.invokeReadiness(gateway.context());
            assertThat(readiness)
                    .as("readiness while kafka-archive waits for its next start: %s", readiness.stream()
                            .map(result -> result.getCheck().getId() + "=" + result.getState()).toList())
                    .anyMatch(result -> result.getState() == HealthCheck.State.DOWN);
        }
    }
}
