package dev.skynetbridge.camel.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * Loads routes/examples/rpc-bridge.yaml with the YAML DSL (port 9100 swapped for a free one) and calls it over TCP.
 * The skynet: component is written elsewhere; a recording stand-in under that scheme shows what the route hands it.
 */
class RpcBridgeYamlRouteTest {

    /** Records the bodies sent to skynet:* endpoints. */
    static final class RecordingSkynetComponent extends DefaultComponent {
        final BlockingQueue<Map<String, Object>> sent = new LinkedBlockingQueue<>(100);

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultProducer(this) {
                        @Override
                        @SuppressWarnings("unchecked")
                        public void process(Exchange exchange) {
                            sent.add(Map.of("channel", remaining, "body", exchange.getMessage().getBody(Map.class),
                                    "method", exchange.getMessage().getHeader(SkynetRpcConstants.METHOD)));
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    throw new UnsupportedOperationException("producer only");
                }
            };
        }
    }

    @Test
    void exampleRouteEchoesTheCallAndCopiesItToTheSkynetChannel() throws Exception {
        String yaml = Files.readString(Path.of("routes/examples/rpc-bridge.yaml")).replace("port: 9100", "port: 0");
        RecordingSkynetComponent skynet = new RecordingSkynetComponent();
        CamelContext context = new DefaultCamelContext();
        context.addComponent("skynet", skynet);
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rpc-bridge.yaml", yaml));
            context.start();
            int port = ((SkynetRpcConsumer) context.getRoute("rpc-bridge").getConsumer()).getActualPort();

            Object reply = context.createProducerTemplate().requestBody(
                    "skynet-rpc:Echo.Echo?address=127.0.0.1:" + port, Map.of("text", "hi", "n", 3L));

            assertThat(reply).isEqualTo(Map.of("text", "hi", "n", 3L));
            Map<String, Object> copied = skynet.sent.poll(10, TimeUnit.SECONDS);
            assertThat(copied).isEqualTo(Map.of("channel", "rpc-calls", "body", Map.of("text", "hi", "n", 3L),
                    "method", "Echo"));
        } finally {
            context.stop();
        }
    }
}
