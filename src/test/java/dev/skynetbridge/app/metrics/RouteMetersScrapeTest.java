package dev.skynetbridge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.PrometheusScrape;
import dev.skynetbridge.testsupport.PrometheusScrape.Sample;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's route meters ({@link RouteMeters}) on a real gateway, read from a real scrape of /observe/metrics:
 * they count as Camel's route policy did and carry exactly its meter names, types, help texts and labels (written
 * down from a scrape of the gateway with Camel's policy on, camel-micrometer 4.17.0).
 */
class RouteMetersScrapeTest {

    /** Family -> TYPE and HELP, as Camel's route policy published them at route level. */
    private static final Map<String, String> CAMEL_FAMILIES = Map.of(
            "camel_exchanges_total", "counter Total number of processed exchanges",
            "camel_exchanges_succeeded_total", "counter Number of successfully completed exchanges",
            "camel_exchanges_failed_total", "counter Number of failed exchanges",
            "camel_exchanges_failures_handled_total", "counter Number of failures handled",
            "camel_exchanges_external_redeliveries_total",
            "counter Number of external initiated redeliveries (such as from JMS broker)",
            "camel_route_policy_seconds", "summary Route performance metrics",
            "camel_route_policy_seconds_max", "gauge Route performance metrics");
    private static final Set<String> CAMEL_SAMPLES = Set.of("camel_exchanges_total",
            "camel_exchanges_succeeded_total", "camel_exchanges_failed_total",
            "camel_exchanges_failures_handled_total", "camel_exchanges_external_redeliveries_total",
            "camel_route_policy_seconds_count", "camel_route_policy_seconds_sum", "camel_route_policy_seconds_max");
    private static final Set<String> CAMEL_LABELS = Set.of("camelContext", "eventType", "kind", "routeId");

    private final int managementPort = FreePorts.pick();
    private GatewayUnderTest gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start() {
        start(Map.of());
    }

    private void start(Map<String, String> settings) {
        Map<String, String> all = new TreeMap<>(settings);
        all.put("camel.management.enabled", "true");
        all.put("skynet.management.port", String.valueOf(managementPort));
        gateway = GatewayUnderTest.start(Map.of("plain", """
                - route:
                    id: meters-ok
                    from:
                      uri: direct:meters-ok
                      steps:
                        - setBody:
                            constant: fine
                - route:
                    id: meters-fail
                    from:
                      uri: direct:meters-fail
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: a route that fails
                """, "handled", """
                - onException:
                    exception:
                      - java.lang.IllegalArgumentException
                    handled:
                      constant: true
                    steps:
                      - setBody:
                          constant: handled
                - route:
                    id: meters-handled
                    from:
                      uri: direct:meters-handled
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalArgumentException
                            message: a failure its onException handles
                """), all);
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.of(managementPort, "/observe/metrics");
    }

    private void send(String uri, int times) {
        ProducerTemplate producer = gateway.context().createProducerTemplate();
        for (int i = 0; i < times; i++) {
            producer.send(uri, (Exchange exchange) -> exchange.getMessage().setBody("x"));
        }
    }

    @Test
    void countsSucceededFailedAndHandledExchangesPerRoute() {
        start();
        send("direct:meters-ok", 3);
        send("direct:meters-fail", 2);
        send("direct:meters-handled", 4);

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("camel_exchanges_total", "routeId", "meters-ok")).isEqualTo(3);
        assertThat(scrape.value("camel_exchanges_succeeded_total", "routeId", "meters-ok")).isEqualTo(3);
        assertThat(scrape.value("camel_exchanges_failed_total", "routeId", "meters-ok")).isZero();

        assertThat(scrape.value("camel_exchanges_total", "routeId", "meters-fail")).isEqualTo(2);
        assertThat(scrape.value("camel_exchanges_failed_total", "routeId", "meters-fail")).isEqualTo(2);
        assertThat(scrape.value("camel_exchanges_succeeded_total", "routeId", "meters-fail")).isZero();
        assertThat(scrape.value("camel_exchanges_failures_handled_total", "routeId", "meters-fail")).isZero();

        assertThat(scrape.value("camel_exchanges_total", "routeId", "meters-handled")).isEqualTo(4);
        assertThat(scrape.value("camel_exchanges_failures_handled_total", "routeId", "meters-handled"))
                .as("handled(true) counts as succeeded and as a handled failure, as in Camel").isEqualTo(4);
        assertThat(scrape.value("camel_exchanges_succeeded_total", "routeId", "meters-handled")).isEqualTo(4);
        assertThat(scrape.value("camel_exchanges_failed_total", "routeId", "meters-handled")).isZero();
        assertThat(scrape.value("camel_exchanges_external_redeliveries_total", "routeId", "meters-handled")).isZero();

        for (String route : new String[] {"meters-ok", "meters-fail", "meters-handled"}) {
            assertThat(scrape.value("camel_route_policy_seconds_count", "routeId", route))
                    .as("the timer records failed exchanges too").isEqualTo(
                            scrape.value("camel_exchanges_total", "routeId", route));
            assertThat(scrape.value("camel_route_policy_seconds_sum", "routeId", route)).isPositive();
            assertThat(scrape.value("camel_route_policy_seconds_max", "routeId", route)).isPositive();
            assertThat(scrape.value("camel_exchanges_total", "routeId", route, "camelContext", "skynet-bridge",
                    "kind", "CamelRoute", "eventType", "route")).isPositive();
        }
    }

    @Test
    void publishesCamelsMeterNamesTypesHelpAndLabels() {
        start();
        send("direct:meters-ok", 1);
        PrometheusScrape scrape = scrape();

        Map<String, String> families = new TreeMap<>();
        for (String line : scrape.body().split("\n")) {
            if (line.startsWith("# HELP camel_exchanges") || line.startsWith("# HELP camel_route_policy")) {
                String family = line.substring(7, line.indexOf(' ', 7));
                families.put(family, scrape.type(family).orElse("?") + " " + line.substring(8 + family.length()));
            }
        }
        assertThat(families).isEqualTo(new TreeMap<>(CAMEL_FAMILIES));

        Set<String> sampleNames = new TreeSet<>();
        for (Sample sample : scrape.samples()) {
            if (sample.name().startsWith("camel_exchanges") || sample.name().startsWith("camel_route_policy")) {
                sampleNames.add(sample.name());
                assertThat(sample.labels().keySet()).as(sample.toString()).isEqualTo(CAMEL_LABELS);
            }
        }
        assertThat(sampleNames).isEqualTo(CAMEL_SAMPLES);
        assertThat(scrape.find("camel_route_policy_seconds_count", "routeId", "meters-fail"))
                .as("as in Camel, the timer appears with a route's first finished exchange").isEmpty();
        assertThat(scrape.find("camel_exchanges_total", "eventType", "context")).as("no context-wide copy").isEmpty();
    }

    @Test
    void withCamelsRoutePolicyBackOnEveryExchangeIsCountedOnce() {
        start(Map.of("camel.metrics.enable-route-policy", "true"));
        send("direct:meters-ok", 3);
        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("camel_exchanges_total", "routeId", "meters-ok"))
                .as("the gateway's policy stands down instead of counting into the same counters").isEqualTo(3);
        assertThat(scrape.value("camel_route_policy_seconds_count", "routeId", "meters-ok")).isEqualTo(3);
    }

    @Test
    void aRouteAddedLaterHasMetersAndARemovedRouteLosesThem() throws Exception {
        start();
        gateway.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:meters-late").routeId("meters-late").setBody(constant("late"));
            }
        });
        // The supervising route controller leaves a route added after start-up stopped until it is started.
        gateway.context().getRouteController().startRoute("meters-late");
        send("direct:meters-late", 2);
        assertThat(scrape().value("camel_exchanges_total", "routeId", "meters-late")).isEqualTo(2);
        assertThat(scrape().value("camel_route_policy_seconds_count", "routeId", "meters-late")).isEqualTo(2);

        gateway.context().getRouteController().stopRoute("meters-late");
        assertThat(scrape().value("camel_exchanges_total", "routeId", "meters-late"))
                .as("a stopped route keeps its meters").isEqualTo(2);
        gateway.context().removeRoute("meters-late");
        PrometheusScrape scrape = scrape();
        assertThat(scrape.find("camel_exchanges_total", "routeId", "meters-late")).isEmpty();
        assertThat(scrape.find("camel_route_policy_seconds_count", "routeId", "meters-late")).isEmpty();
        assertThat(scrape.find("camel_exchanges_total", "routeId", "meters-ok")).hasSize(1);
    }
}
