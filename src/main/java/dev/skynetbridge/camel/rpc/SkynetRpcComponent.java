package dev.skynetbridge.camel.rpc;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.skynetbridge.camel.WholeNumberOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code skynet-rpc:} component. All its endpoints share one Vert.x instance: the one set on the component or
 * found in the registry, otherwise one the component creates at start and closes at stop.
 */
@Component("skynet-rpc")
public class SkynetRpcComponent extends DefaultComponent {

    /** The Vert.x instance for TCP; by default one found in the registry, else one owned by the component. */
    @Metadata(label = "advanced", autowired = true)
    private Vertx vertx;

    private boolean ownsVertx;
    private final Set<SkynetRpcProducer> producers = ConcurrentHashMap.newKeySet();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SkynetRpcConfiguration configuration = new SkynetRpcConfiguration();
        SkynetRpcEndpoint endpoint = new SkynetRpcEndpoint(uri, this, remaining, configuration);
        // The generated SkynetRpcEndpointConfigurer binds the options, the configuration's included, without
        // reflection; Camel reports any left over as an unknown option.
        WholeNumberOptions.check("skynet-rpc:" + remaining, getEndpointPropertyConfigurer(), parameters);
        setProperties(endpoint, parameters);
        configuration.validate(); // fail at endpoint creation, naming the bad option, not at the first call
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null && health.getCheck("skynet-rpc").isEmpty()) {
            health.register(new SkynetRpcHealthCheck(this));
        }
        if (vertx == null) {
            Vertx fromRegistry = getCamelContext().getRegistry().findSingleByType(Vertx.class);
            if (fromRegistry != null) {
                vertx = fromRegistry;
            } else {
                vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(
                        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))));
                ownsVertx = true;
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (ownsVertx && vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
            vertx = null;
            ownsVertx = false;
        }
        super.doStop();
    }

    /** The started producers (for the health check). */
    List<SkynetRpcProducer> activeProducers() {
        return List.copyOf(producers);
    }

    void producerStarted(SkynetRpcProducer producer) {
        producers.add(producer);
    }

    void producerStopped(SkynetRpcProducer producer) {
        producers.remove(producer);
    }

    public Vertx getVertx() {
        return vertx;
    }

    public void setVertx(Vertx vertx) {
        this.vertx = vertx;
    }
}
