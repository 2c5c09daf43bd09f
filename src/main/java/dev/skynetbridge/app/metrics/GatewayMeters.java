package dev.skynetbridge.app.metrics;

import dev.skynetbridge.app.EmbeddedServices;
import dev.skynetbridge.camel.Bridges;
import dev.skynetbridge.camel.SkynetComponent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the gateway's meters ({@link GatewayMeter}) to the MeterRegistry Camel's Prometheus support puts in the
 * registry ({@code camel.metrics.enabled=true}), beside Camel's own route meters; scraped at
 * {@code /observe/metrics} on the management port. Without that registry (metrics off) it does nothing.
 */
public final class GatewayMeters {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMeters.class);

    /** Micrometer holds what its meters read only weakly: the binders (and their suppliers) live here. */
    private final List<MeterBinder> binders;

    private GatewayMeters(List<MeterBinder> binders) {
        this.binders = binders;
    }

    /** Call once the context has started (the registry exists then); bridges that start later get meters too. */
    public static void bind(CamelContext context, EmbeddedServices services) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            LOG.debug("No MeterRegistry in Camel's registry (camel.metrics.enabled=false): no gateway meters");
            return;
        }
        SkynetComponent skynet = context.getComponent("skynet", SkynetComponent.class);
        GatewayMeters meters = new GatewayMeters(List.of(
                new HubMeterBinder(services.hub(), services.server(), skynet),
                new MqttMeterBinder(services.mqttBroker()),
                new BridgeMeterBinder(Bridges.of(context))));
        meters.binders.forEach(binder -> binder.bindTo(registry));
        // Kept as long as the context: what the meters read must not be collected.
        context.getCamelContextExtension().addContextPlugin(GatewayMeters.class, meters);
    }
}
