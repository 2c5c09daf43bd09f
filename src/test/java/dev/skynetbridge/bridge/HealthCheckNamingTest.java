package dev.skynetbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.bridge.kafka.KafkaBridgeStatus;
import dev.skynetbridge.camel.ReadinessCheck;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

/** Every health check of the gateway's own follows the one scheme written in {@link ReadinessCheck}. */
class HealthCheckNamingTest {

    private static final String ID_PATTERN = "skynet-[a-z]+(-.+)?";

    @Test
    void theGatewaysChecksAreInGroupSkynetWithIdsSkynetPartName() {
        List<Integer> deadPorts = FreePorts.pick(2); // nothing listens there: the checks are DOWN, but named
        String routes = """
                - route:
                    id: to-rpc
                    from:
                      uri: direct:rpc
                      steps:
                        - to: skynet-rpc:TestService.Echo?address=127.0.0.1:%d
                - route:
                    id: to-mqtt
                    from:
                      uri: skynet:42?bridgeId=naming
                      steps:
                        - to: skynet-mqtt:naming?brokerUrl=tcp://127.0.0.1:%d
                """.formatted(deadPorts.get(0), deadPorts.get(1));
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("naming", routes))) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(gateway.context());
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.getCheck("skynet-mqtt-naming").isPresent());

            List<HealthCheck> ours = registry.stream().filter(check -> !"camel".equals(check.getGroup())
                    && !check.getId().startsWith("route:") && !check.getId().startsWith("consumer:")
                    && !check.getId().startsWith("producer:") && !check.getId().equals("context")).toList();
            assertThat(ours).extracting(HealthCheck::getId)
                    .contains("skynet-server", "skynet-rpc", "skynet-mqtt-naming");
            assertThat(ours).allSatisfy(check -> {
                assertThat(check.getGroup()).as(check.getId()).isEqualTo(ReadinessCheck.GROUP);
                assertThat(check.getId()).matches(ID_PATTERN);
                assertThat(check.isReadiness()).as(check.getId()).isTrue();
                assertThat(check.isLiveness()).as(check.getId()).isFalse();
            });
        }
    }

    @Test
    void kafkaBridgeChecksFollowTheSameScheme() {
        KafkaBridgeStatus status = new KafkaBridgeStatus("archive-skynet", "archive to topic skynet", "");
        assertThat(status.getGroup()).isEqualTo(ReadinessCheck.GROUP);
        assertThat(status.getId()).isEqualTo("skynet-kafka-archive-skynet").matches(ID_PATTERN);
        assertThat(status.isLiveness()).isFalse();
    }
}
