package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.SkynetConstants;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.mqtt.MqttUserProperties;
import dev.skynetbridge.protocol.Channel;
import java.time.Instant;
import java.util.LinkedHashMap;
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
        String canonical = in.getHeader(SkynetConstants.CHANNEL, String.class);
        if (canonical == null) {
            throw new IllegalArgumentException("skynet-mqtt:" + endpoint.getBridgeId() + " publishes Skynet messages and"
                    + " needs the " + SkynetConstants.CHANNEL + " header (n:42 or s:foo): route from a skynet: consumer"
                    + " or set the header");
        }
        Channel channel = Channel.parseCanonical(canonical);
        byte[] body = endpoint.outboundFormat().encode(in.getBody());
        Map<String, String> properties = MqttUserProperties.outbound(channel, extras(in.getHeader(SkynetConstants.EXTRAS)),
                in.getHeader(SkynetConstants.MESSAGE_ID, String.class), in.getHeader(SkynetConstants.TIME, Instant.class),
                endpoint.getBridgeId());
        link.publish(new MqttLink.Outgoing(endpoint.mapping().topicFor(channel), body, endpoint.getQos(),
                endpoint.isRetain(), endpoint.outboundFormat().contentType(), properties));
    }

    private static Map<String, Object> extras(Object header) {
        if (!(header instanceof Map<?, ?> map) || map.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        map.forEach((key, value) -> extras.put(String.valueOf(key), value));
        return extras;
    }

    public MqttLink link() {
        return link;
    }
}
