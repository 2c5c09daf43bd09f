package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.SkynetExchangeMapping;

import dev.skynetbridge.protocol.SkynetMessage;

import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.mqtt.MqttUserProperties;
import dev.skynetbridge.protocol.Channel;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Publishes a Skynet message (as a {@code skynet:} consumer delivers it) to its channel's topic. The
 * message goes into the link's bounded outbox, so the route never waits for the broker.
 */
public class SkynetMqttProducer extends DefaultProducer {

    private final SkynetMqttEndpoint endpoint;
    private MqttLink link;

    public SkynetMqttProducer(SkynetMqttEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        link = endpoint.getComponent().acquire(endpoint);
    }

    @Override
    protected void doStop() throws Exception {
        if (link != null) {
            endpoint.getComponent().release(endpoint, link);
            link = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        SkynetMessage message = SkynetExchangeMapping.readReceived(in, "skynet-mqtt:" + endpoint.getBridgeId());
        Channel channel = message.channel();
        byte[] body = endpoint.outboundFormat().encode(message.payload());
        Map<String, String> properties = MqttUserProperties.outbound(channel, message.extras(), message.id(),
                message.time(), endpoint.getBridgeId());
        link.publish(new MqttLink.Outgoing(endpoint.mapping().topicFor(channel), body, endpoint.getQos(),
                endpoint.isRetain(), endpoint.outboundFormat().contentType(), properties));
    }

    public MqttLink link() {
        return link;
    }
}
