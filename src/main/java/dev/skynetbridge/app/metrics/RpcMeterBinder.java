package dev.skynetbridge.app.metrics;

import dev.skynetbridge.camel.rpc.SkynetRpcEndpoint;
import dev.skynetbridge.rpc.RpcStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;

/**
 * skynet-rpc calls, failures and latency per service name and side, summed over the {@code skynet-rpc:} endpoints
 * of that service (read from their {@link RpcStatistics} when scraped). Services of endpoints created after start-up
 * are not shown.
 */
final class RpcMeterBinder implements MeterBinder {

    private final CamelContext context;
    private MeterSet meters;

    RpcMeterBinder(CamelContext context) {
        this.context = context;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters = new MeterSet(registry, Tags.empty());
        Set<String> services = new TreeSet<>();
        context.getEndpoints().stream().filter(SkynetRpcEndpoint.class::isInstance)
                .forEach(endpoint -> services.add(((SkynetRpcEndpoint) endpoint).getServiceName()));
        for (String service : services) {
            Tags client = Tags.of("service", service, "side", "client");
            Tags server = Tags.of("service", service, "side", "server");
            meters.counter(GatewayMeter.RPC_CALLS, client, () -> sum(service, RpcStatistics::getClientCalls))
                    .counter(GatewayMeter.RPC_FAILURES, client, () -> sum(service, RpcStatistics::getClientFailures))
                    .timer(GatewayMeter.RPC_LATENCY, client, () -> sum(service, RpcStatistics::getClientCalls),
                            () -> sum(service, RpcStatistics::getClientNanos))
                    .counter(GatewayMeter.RPC_CALLS, server, () -> sum(service, RpcStatistics::getServerCalls))
                    .counter(GatewayMeter.RPC_FAILURES, server, () -> sum(service, RpcStatistics::getServerFailures))
                    .timer(GatewayMeter.RPC_LATENCY, server, () -> sum(service, RpcStatistics::getServerCalls),
                            () -> sum(service, RpcStatistics::getServerNanos));
        }
    }

    private long sum(String service, ToLongFunction<RpcStatistics> count) {
        return context.getEndpoints().stream()
                .filter(endpoint -> endpoint instanceof SkynetRpcEndpoint rpc && rpc.getServiceName().equals(service))
                .mapToLong(endpoint -> count.applyAsLong(((SkynetRpcEndpoint) endpoint).getStatistics()))
                .sum();
    }
}
