package dev.skynetbridge.camel;

import dev.skynetbridge.client.SkynetClient;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.Delivery;
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
            participant = endpoint.getComponent().joinHub(endpoint.getBridgeId(), endpoint.getEndpointUri(),
                    endpoint.isClusterMessages());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (client != null) {
            endpoint.getComponent().clients().release(client);
            client = null;
        }
        if (participant != null) {
            endpoint.getComponent().leaveHub(endpoint.getBridgeId(), endpoint.isClusterMessages(), participant);
            participant = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SkynetMessage message = SkynetExchangeMapping.readToSend(exchange, endpoint.channel(), endpoint.isParseJson());
        if (client != null) {
            client.send(message);
        } else {
            Delivery delivery = participant != null ? participant.publish(message)
                    : endpoint.getComponent().getHub().publish(message);
            exchange.getMessage().setHeader(SkynetConstants.MESSAGE_ID, delivery.message().id());
        }
    }
}
