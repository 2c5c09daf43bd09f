package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.PrometheusScrape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bridge appears in the metrics under the route id its user wrote (the {@code bridge} label), whether
 * it is a Java route template, a route calling a sink Kamelet, or one starting from the Kafka replay Kamelet; and goes
 * when its route stops.
 * Targets are unreachable here: naming needs no broker.
 */
class BridgeNamesTest {

    @Test
    void eachBridgeIsNamedByTheRouteIdItsUserWrote() throws Exception {
        int managementPort = FreePorts.pick();
        int nobody = FreePorts.pick();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("bridges", """
                - templatedRoute:
                    routeTemplateRef: skynet-mqtt-bridge
                    routeId: both-ways
                    parameters:
                      - name: bridgeId
                        value: templated
                      - name: brokerUrl
                        value: tcp://127.0.0.1:%1$d
                - route:
                    id: lamp-out
                    from:
                      uri: kamelet:skynet-source
                      parameters: {channel: "lamp", bridgeId: lamp}
                      steps:
                        - to:
                            uri: kamelet:skynet-mqtt-sink
                            parameters: {bridgeId: lamp, brokerUrl: "tcp://127.0.0.1:%1$d"}
                - route:
                    id: door-hook
                    from:
                      uri: kamelet:skynet-source
                      parameters: {channel: "42"}
                      steps:
                        - to:
                            uri: kamelet:skynet-webhook-sink
                            parameters: {name: door, url: "http://127.0.0.1:%1$d/door"}
                - route:
                    id: archive
                    from:
                      uri: kamelet:skynet-source
                      parameters: {channel: "*", bridgeId: kafka}
                      steps:
                        - to:
                            uri: kamelet:skynet-kafka-archive-sink
                            parameters: {topic: skynet, brokers: "127.0.0.1:%1$d"}
                - route:
                    id: replay
                    from:
                      uri: kamelet:skynet-kafka-replay-source
                      parameters: {topic: skynet, brokers: "127.0.0.1:%1$d", groupId: replay}
                      steps:
                        - to:
                            uri: kamelet:skynet-sink
                            parameters: {channel: "*", bridgeId: kafka, parseJson: false}
                """.formatted(nobody)), Map.of(
                "camel.management.enabled", "true", "skynet.management.port", String.valueOf(managementPort)))) {
            PrometheusScrape scrape = PrometheusScrape.of(managementPort, "/observe/metrics");
            assertThat(scrape.find("skynet_bridge_received_total"))
                    .extracting(sample -> sample.labels().get("bridge") + "/" + sample.labels().get("kind"))
                    .containsExactlyInAnyOrder("both-ways/mqtt", "lamp-out/mqtt", "door-hook/webhook", "archive/kafka",
                            "replay/kafka");
            assertThat(scrape.value("skynet_bridge_connected", "bridge", "both-ways")).isZero();

            gateway.context().getRouteController().stopRoute("door-hook");
            String sinkRoute = gateway.context().getRoutes().stream()
                    .filter(route -> route.getId().startsWith("skynet-webhook-sink")).findFirst().orElseThrow().getId();
            gateway.context().getRouteController().stopRoute(sinkRoute);
            assertThat(PrometheusScrape.of(managementPort, "/observe/metrics").find("skynet_bridge_received_total",
                    "bridge", "door-hook")).as("a stopped bridge's meters go with it").isEmpty();
        }
    }
}
