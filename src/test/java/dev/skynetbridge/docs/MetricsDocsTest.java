package dev.skynetbridge.docs;

import static dev.skynetbridge.docs.MarkdownTable.code;
import static dev.skynetbridge.docs.MarkdownTable.prose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.app.metrics.GatewayMeter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/metrics.md: every meter of {@link GatewayMeter}, under the name Prometheus shows. */
public class MetricsDocsTest {

    private static final PrometheusNamingConvention PROMETHEUS = new PrometheusNamingConvention();

    @Test
    void theMetricsPageListsEveryMeterTheGatewayDeclares() {
        GeneratedDocs.assertUpToDate(GeneratedDocs.DOCS.resolve("metrics.md"), page());
    }

    @Test
    void namesFollowPrometheusConventions() {
        assertThat(GatewayMeter.values()).allSatisfy(meter -> {
            assertThat(prometheusName(meter)).startsWith("skynet_").matches("[a-z_]+");
            assertThat(meter.labels()).as("labels in Micrometer's (sorted) order").isSorted()
                    .doesNotContain("channel");
        });
        assertThat(Arrays.stream(GatewayMeter.values()).map(MetricsDocsTest::prometheusName).distinct().count())
                .isEqualTo(GatewayMeter.values().length);
    }

    /** The family name in a scrape: counters end in _total, a unit is spelled out (seconds). */
    public static String prometheusName(GatewayMeter meter) {
        Meter.Type type = switch (meter.type()) {
            case COUNTER -> Meter.Type.COUNTER;
            case GAUGE -> Meter.Type.GAUGE;
            case TIMER -> Meter.Type.TIMER;
        };
        String name = PROMETHEUS.name(meter.meterName(), type, meter.baseUnit());
        // The Prometheus client adds _total to a counter's family when it writes the text format.
        return meter.type() == GatewayMeter.Type.COUNTER && !name.endsWith("_total") ? name + "_total" : name;
    }

    private static String series(GatewayMeter meter) {
        String name = prometheusName(meter);
        return meter.type() == GatewayMeter.Type.TIMER ? name + "_count, " + name + "_sum" : name;
    }

    static String page() {
        StringBuilder page = new StringBuilder(GeneratedDocs.banner("dev.skynetbridge.app.metrics.GatewayMeter"));
        page.append("""
                # Metrics (Prometheus)

                `GET http://<host>:<skynet.management.port>/observe/metrics` (default port 8081, the same server as \
                [health](health-checks.md)) answers in the Prometheus text format: the gateway's own meters below, \
                the route meters (`camel_exchanges_total`, `camel_exchanges_succeeded_total`, \
                `camel_exchanges_failed_total`, `camel_exchanges_failures_handled_total`, \
                `camel_exchanges_external_redeliveries_total` and the timer `camel_route_policy_seconds`, with the \
                labels `routeId`, `camelContext`, `kind="CamelRoute"`, `eventType="route"`), Camel's \
                `camel_routes_running_routes` and \
                the JVM's (`jvm_memory_used_bytes`, `jvm_gc_pause_seconds`, `jvm_threads_live_threads`, \
                `process_cpu_usage`, `process_uptime_seconds`). It is on by default: `camel.metrics.enabled = true` in \
                `config/application.properties` (with `camel.management.metrics-enabled = true`); \
                `camel.metrics.binders` chooses the JVM meters. Camel's exchange event notifier is off \
                (`camel.metrics.enable-exchange-event-notifier = false`): it looked meters up and took a lock on \
                the route list for every exchange event on every route thread, for `camel_exchanges_inflight` and \
                `camel_exchange_event_notifier_seconds`, which nothing here uses; set it to true to have them \
                back. The route meters are the gateway's own, with the names, labels and meaning of Camel's route \
                policy (which is off: `camel.metrics.enable-route-policy = false`): Camel's formatted exchange \
                property names with `String.format` several times per exchange, a third of the route thread's \
                time at 20,000 messages a second; the gateway's builds them once per route. As with Camel's, a \
                route has them while it exists (removed with the route), the timer appears with the route's first \
                finished exchange, routes made from a Kamelet have none unless \
                `camel.main.jmx-management-register-routes-create-by-kamelet = true`, and there is no \
                context-wide copy (`eventType="context"`: Prometheus adds the routes up itself). Setting it to \
                true brings Camel's back, and the gateway's step aside rather than count every exchange twice.

                ## Scrape it

                ```yaml
                # prometheus.yml
                scrape_configs:
                  - job_name: skynet-bridge
                    metrics_path: /observe/metrics
                    scrape_interval: 15s
                    static_configs:
                      - targets: ["gateway-host:8081"]
                ```

                Keep the management port behind your firewall. Values are read when scraped: a scrape costs the same \
                however many messages flow, and nothing is recorded per message beyond the counters the gateway keeps \
                anyway.

                ## What adds up

                For every bridge, at any quiet moment (nothing in flight):

                ```
                skynet_bridge_received_total = skynet_bridge_sent_total + skynet_bridge_failed_total
                                               + skynet_bridge_queued + skynet_bridge_dropped_total
                ```

                `received` counts what the bridge's `skynet:` source was handed; `queued` is what waits in the source's \
                queue plus the target's outbox or buffer; `dropped` is what a full queue or buffer lost. So a bridge \
                that falls behind shows it as `queued` growing, then as `dropped`, never as a silent gap. Counters \
                start at 0 when the gateway (or the bridge's route) starts.

                For the Skynet server: every message a client sends is `skynet_messages_received_total`; each copy \
                handed to a listener is one of `skynet_deliveries_total`; a delivery that never reached its client is \
                one of `skynet_deliveries_dropped_total` (with its reason).

                ## Labels

                No label takes unbounded values: there is no channel label. `protocol` is `v1`, `v2` or `route`; \
                `reason` is one of a fixed list; `bridge` is the route id you gave the bridge's route in \
                `routes/*.yaml` (`routeId` of a `templatedRoute`, `id` of a `route`), and `kind` is `mqtt`, `kafka` (archive or \
                replay) or `webhook`.

                ## The gateway's meters

                """);
        MarkdownTable table = new MarkdownTable("name in Prometheus", "type", "labels", "meaning");
        for (GatewayMeter meter : GatewayMeter.values()) {
            table.row(code(series(meter)), meter.type().name().toLowerCase(),
                    meter.labels().isEmpty() ? "" : meter.labels().stream().map(MarkdownTable::code)
                            .collect(Collectors.joining(", ")),
                    prose(meter.description()));
        }
        page.append(table.render());
        page.append("""
                ## An example scrape (abridged)

                ```
                # TYPE skynet_clients_connected gauge
                skynet_clients_connected{protocol="route"} 2.0
                skynet_clients_connected{protocol="v1"} 0.0
                skynet_clients_connected{protocol="v2"} 3.0
                # TYPE skynet_messages_received_total counter
                skynet_messages_received_total{protocol="v2"} 1520.0
                # TYPE skynet_deliveries_dropped_total counter
                skynet_deliveries_dropped_total{reason="queue_full"} 0.0
                # TYPE skynet_bridge_received_total counter
                skynet_bridge_received_total{bridge="default-to-mqtt",kind="mqtt"} 1520.0
                # TYPE skynet_bridge_sent_total counter
                skynet_bridge_sent_total{bridge="default-to-mqtt",kind="mqtt"} 1500.0
                # TYPE skynet_bridge_queued gauge
                skynet_bridge_queued{bridge="default-to-mqtt",kind="mqtt"} 20.0
                # TYPE skynet_bridge_connected gauge
                skynet_bridge_connected{bridge="default-to-mqtt",kind="mqtt"} 0.0
                # TYPE skynet_bridge_last_success_seconds gauge
                skynet_bridge_last_success_seconds{bridge="default-to-mqtt",kind="mqtt"} 1.7646624E9
                # TYPE camel_exchanges_total counter
                camel_exchanges_total{camelContext="skynet-bridge",eventType="route",kind="CamelRoute",routeId="default-to-mqtt"} 1520.0
                ```

                ## Alerts worth having

                ```yaml
                groups:
                  - name: skynet-bridge
                    rules:
                      - alert: SkynetBridgeDown
                        expr: skynet_bridge_connected == 0
                        for: 5m
                      - alert: SkynetBridgeDropping
                        expr: increase(skynet_bridge_dropped_total[10m]) > 0
                      - alert: SkynetClientsDropped
                        expr: increase(skynet_deliveries_dropped_total[10m]) > 0
                ```
                """);
        return page.toString().stripTrailing() + "\n";
    }
}
