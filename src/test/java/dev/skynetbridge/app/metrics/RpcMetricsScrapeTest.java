package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.camel.rpc.SkynetRpcConsumer;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.PrometheusScrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * skynet-rpc meters, scraped over HTTP: real calls from a skynet-rpc: producer to the example service
 * (routes/examples/rpc-bridge.yaml) over TCP, counted on both sides with their latency.
 */
class RpcMetricsScrapeTest {

    @Test
    void callsFailuresAndLatencyOfBothSides() throws Exception {
        int managementPort = FreePorts.pick();
        String yaml = Files.readString(Path.of("routes/examples/rpc-bridge.yaml")).replace("port: 9100", "port: 0");
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("rpc-bridge", yaml), Map.of(
                "camel.management.enabled", "true", "skynet.management.port", String.valueOf(managementPort)))) {
            int port = ((SkynetRpcConsumer) gateway.context().getRoute("rpc-bridge").getConsumer()).getActualPort();
            ProducerTemplate producer = gateway.context().createProducerTemplate();
            for (int i = 0; i < 3; i++) {
                producer.requestBody("skynet-rpc:Echo.Echo?address=127.0.0.1:" + port, Map.of("n", (long) i));
            }
            assertThatThrownBy(() -> producer.requestBody("skynet-rpc:Echo.Nope?address=127.0.0.1:" + port, Map.of()))
                    .as("a method the service does not serve").isNotNull();

            PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
            assertThat(scrape.value("skynet_rpc_calls_total", "service", "Echo", "side", "server")).isEqualTo(3);
            assertThat(scrape.value("skynet_rpc_failures_total", "service", "Echo", "side", "server")).isZero();
            assertThat(scrape.value("skynet_rpc_calls_total", "service", "Echo", "side", "client")).isEqualTo(4);
            assertThat(scrape.value("skynet_rpc_failures_total", "service", "Echo", "side", "client")).isEqualTo(1);
            assertThat(scrape.value("skynet_rpc_latency_seconds_count", "service", "Echo", "side", "client"))
                    .isEqualTo(4);
            assertThat(scrape.value("skynet_rpc_latency_seconds_sum", "service", "Echo", "side", "client"))
                    .isPositive();
        }
    }
}
