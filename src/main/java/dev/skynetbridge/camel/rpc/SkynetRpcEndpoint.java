package dev.skynetbridge.camel.rpc;

import dev.skynetbridge.rpc.RpcStatistics;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Calls (producer) or serves (consumer) a service of skynet, the Go RPC framework (skynetservices/skynet): BSON over
 * TCP. The producer keeps a small pool of multiplexed connections to the first reachable address of a preference
 * list, backs off from failing addresses and fails calls at once, naming each address, while none is reachable; the
 * consumer serves the route as a skynet service, so Go clients can call it. A call's parameters and its reply are
 * BSON documents: in a route a Map, or JSON object text to send.
 */
// The javadoc above is the component's description in the generated schema and docs/components/skynet-rpc.md. The
// generator keeps plain text only: no inline tags, no quotes, asterisks or angle brackets, and it stops at the first
// line that ends with a full stop.
@UriEndpoint(firstVersion = "0.1.0", scheme = "skynet-rpc", title = "Skynet RPC", syntax = "skynet-rpc:service",
        category = {Category.RPC}, headersClass = SkynetRpcConstants.class)
public class SkynetRpcEndpoint extends DefaultEndpoint {

    /**
     * The service name, e.g. TestService. The producer adds the method to call after a dot (TestService.Upcase) unless
     * the SkynetRpcMethod header names it; on a consumer a method after the dot serves only that method.
     */
    @UriPath(description = "The service name, e.g. TestService, optionally followed by .Method. The producer calls that"
                           + " method (TestService.Upcase) unless the SkynetRpcMethod header names another; a consumer"
                           + " with a method after the dot serves only that method.")
    @Metadata(required = true)
    private String service;

    @UriParam
    private final SkynetRpcConfiguration configuration;

    private final String serviceName;
    private final String methodName;
    private final RpcStatistics statistics = new RpcStatistics();

    public SkynetRpcEndpoint(String uri, SkynetRpcComponent component, String service,
                             SkynetRpcConfiguration configuration) {
        super(uri, component);
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("skynet-rpc endpoint " + uri + " needs a service name:"
                    + " skynet-rpc:Service.Method?address=host:port or skynet-rpc:Service?port=N");
        }
        this.service = service;
        this.configuration = configuration;
        int dot = service.indexOf('.');
        this.serviceName = dot < 0 ? service : service.substring(0, dot);
        this.methodName = dot < 0 || dot == service.length() - 1 ? null : service.substring(dot + 1);
    }

    @Override
    public SkynetRpcComponent getComponent() {
        return (SkynetRpcComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new SkynetRpcProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SkynetRpcConsumer consumer = new SkynetRpcConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getService() {
        return service;
    }

    public String getServiceName() {
        return serviceName;
    }

    /** The method named in the path, or null. */
    public String getMethodName() {
        return methodName;
    }

    public SkynetRpcConfiguration getConfiguration() {
        return configuration;
    }

    public RpcStatistics getStatistics() {
        return statistics;
    }

    /** The endpoint as users wrote it, minus options, for log lines and exception messages. */
    String describe() {
        return "skynet-rpc:" + service;
    }
}
