package dev.skynetbridge.camel;

import dev.skynetbridge.client.SkynetClient;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Sends the body to the endpoint's channel, or to the one in {@link SkynetConstants#OVERRIDE_CHANNEL}. */
public class SkynetProducer extends DefaultProducer {

    private final SkynetEndpoint endpoint;
    private SkynetClient client;
    private HubParticipant participant;

    public SkynetProducer(SkynetEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.usesRemoteServer()) {
            client = endpoint.getComponent().clients().acquire(endpoint.clientOptions());
        } else if (endpoint.getBridgeId() != null) {
            participant = endpoint.getComponent().joinHub(endpoint.getBridgeId());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (client != null) {
            endpoint.getComponent().clients().release(client);
            client = null;
        }
        if (participant != null) {
            endpoint.getComponent().leaveHub(endpoint.getBridgeId(), participant);
            participant = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        org.apache.camel.Message in = exchange.getMessage();
        Object override = in.getHeader(SkynetConstants.OVERRIDE_CHANNEL);
        Channel channel = override != null ? ChannelSyntax.fromHeader(override) : endpoint.channel();
        Object payload = PayloadConversion.toPayload(exchange, in.getBody(), endpoint.isParseJson());
        SkynetMessage message = new SkynetMessage(channel, payload, extras(in.getHeader(SkynetConstants.EXTRAS)), null,
                null);
        if (client != null) {
            client.send(message);
        } else {
            Delivery delivery = participant != null ? participant.publish(message)
                    : endpoint.getComponent().getHub().publish(message);
            in.setHeader(SkynetConstants.MESSAGE_ID, delivery.message().id());
        }
    }

    private static Map<String, Object> extras(Object header) {
        if (!(header instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        map.forEach((key, value) -> extras.put(String.valueOf(key), value));
        return extras;
    }
}
