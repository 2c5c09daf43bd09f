package dev.skynetbridge.camel;

import dev.skynetbridge.client.SkynetClient;
import dev.skynetbridge.server.HubMetrics;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of the skynet: component: DOWN while any remote Skynet server it uses is
 * unreachable (the routes keep running and reconnect by themselves). Details list each server's
 * state and the embedded hub's counters.
 */
final class SkynetHealthCheck extends ReadinessCheck {

    private final SkynetComponent component;

    static final String ID = "skynet-server";

    SkynetHealthCheck(SkynetComponent component) {
        super(ID);
        this.component = component;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        HubMetrics metrics = component.getHub() == null ? null : component.getHub().metrics();
        if (metrics != null) {
            metrics.snapshot().forEach((key, value) -> builder.detail("hub." + key, value));
        }
        List<SkynetClient> clients = component.activeClients();
        for (SkynetClient client : clients) {
            builder.detail("server " + client.options().describe(), client.state().name());
            if (!client.isConnected()) {
                builder.down();
                builder.message("Skynet server " + client.options().describe() + " is " + client.state().name()
                        .toLowerCase() + "; reconnecting");
            }
        }
    }
}
