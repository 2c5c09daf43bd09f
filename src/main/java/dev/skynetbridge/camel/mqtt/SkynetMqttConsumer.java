package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.SkynetExchangeMapping;

import dev.skynetbridge.protocol.SkynetMessage;

import dev.skynetbridge.mqtt.ChannelTopicMapping;
import dev.skynetbridge.mqtt.MqttLink;
import dev.skynetbridge.mqtt.MqttUserProperties;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.support.RateLimitedWarning;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives MQTT messages on the bridge's topics and routes each as a Skynet message for a
 * {@code skynet:} producer: body = the payload value, {@code SkynetOverrideChannel} = the topic's
 * channel, {@code SkynetExtras} = the extras plus the hop count. Messages this bridge published,
 * messages past the hop limit and topics that name no channel are not routed; each kind is counted
 * (and the last two logged).
 *
 * <p>The route runs on the MQTT client's callback thread, one message at a time, so messages keep their order; the
 * {@code skynet:} producer it ends in does not block.
 */
public class SkynetMqttConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SkynetMqttConsumer.class);

    private final SkynetMqttEndpoint endpoint;
    private final RateLimitedWarning hopWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedWarning rejectWarning = new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS);
    private final LongAdder routed = new LongAdder();
    private final LongAdder ownIgnored = new LongAdder();
    private final LongAdder hopLimited = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private MqttLink link;
    private Runnable unsubscribe;

    public SkynetMqttConsumer(SkynetMqttEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        link = endpoint.getComponent().acquire(endpoint);
        unsubscribe = link.subscribe(endpoint.mapping().subscriptionFor(endpoint.subscribedChannel()),
                endpoint.getQos(), this::onMessage);
    }

    @Override
    protected void doStop() throws Exception {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        if (link != null) {
            endpoint.getComponent().release(endpoint, link);
            link = null;
        }
        super.doStop();
    }

    private void onMessage(MqttLink.Incoming message) {
        String topic = message.topic();
        if (topic.equals(link.availability().topic())) {
            return; // the bridge's own status (retained from an earlier run, or its last will): not a channel
        }
        ChannelTopicMapping.Parsed parsed = endpoint.mapping().parse(topic);
        if (parsed.channel().isEmpty()) {
            reject(InboundDiscard.NOT_A_CHANNEL, "topic '" + topic + "' names no Skynet channel: " + parsed.problem() + ". Publish to "
                   + endpoint.mapping().topicFor(Channel.of(42)) + " or " + endpoint.mapping().topicFor(Channel.of("name")));
            return;
        }
        Channel channel = parsed.channel().get();
        Map<String, String> properties = message.userProperties();
        MqttUserProperties.Inbound decision = MqttUserProperties.inbound(properties, endpoint.getBridgeId(),
                endpoint.getMaxHops());
        if (decision instanceof MqttUserProperties.Inbound.OwnMessage) {
            ownIgnored.increment();
            endpoint.getComponent().countDiscard(InboundDiscard.OWN_MESSAGE);
            return;
        }
        if (decision instanceof MqttUserProperties.Inbound.TooManyHops tooMany) {
            hopLimited.increment();
            endpoint.getComponent().countDiscard(InboundDiscard.HOP_LIMIT);
            hopWarning.warn("skynet-mqtt:{}: a message on {} has crossed {} bridges (maxHops {}), so it is not handed"
                            + " to Skynet; bridges probably form a loop. {} such messages so far.",
                    endpoint.getBridgeId(), topic, tooMany.hops(), endpoint.getMaxHops(), hopLimited.sum());
            return;
        }
        Object payload;
        try {
            payload = endpoint.inboundFormatValue().decode(message.payload());
        } catch (IllegalArgumentException e) {
            reject(InboundDiscard.BAD_PAYLOAD, "the body on '" + topic + "' is " + e.getMessage() + " (inboundFormat="
                   + endpoint.getInboundFormat() + ")");
            return;
        }
        Exchange exchange = createExchange(false);
        Message in = exchange.getMessage();
        SkynetExchangeMapping.writeToSend(new SkynetMessage(channel, payload,
                ((MqttUserProperties.Inbound.Accept) decision).extras(), null, null), in);
        in.setHeader(SkynetMqttConstants.TOPIC, topic);
        in.setHeader(SkynetMqttConstants.USER_PROPERTIES, properties);
        in.setHeader(SkynetMqttConstants.RETAINED, message.retained());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Route failed for an MQTT message on " + topic, exchange,
                    exchange.getException());
        } else {
            routed.increment();
        }
        releaseExchange(exchange, false);
    }

    private void reject(InboundDiscard reason, String why) {
        rejected.increment();
        endpoint.getComponent().countDiscard(reason);
        rejectWarning.warn("skynet-mqtt:{}: ignored an MQTT message: {}. {} ignored so far.", endpoint.getBridgeId(),
                why, rejected.sum());
    }

    public long getRoutedCount() {
        return routed.sum();
    }

    /** Messages this bridge published that came back (No Local should make this 0 on a compliant broker). */
    public long getOwnIgnoredCount() {
        return ownIgnored.sum();
    }

    public long getHopLimitedCount() {
        return hopLimited.sum();
    }

    public long getRejectedCount() {
        return rejected.sum();
    }
}
