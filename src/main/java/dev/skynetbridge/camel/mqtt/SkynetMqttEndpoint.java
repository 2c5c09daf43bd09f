package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.ChannelSyntax;
import dev.skynetbridge.mqtt.ChannelTopicMapping;
import dev.skynetbridge.mqtt.MqttAvailability;
import dev.skynetbridge.mqtt.MqttLinkOptions;
import dev.skynetbridge.mqtt.PayloadFormat;
import dev.skynetbridge.protocol.Channel;
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
 * The MQTT side of a Skynet bridge: the producer publishes what a skynet: consumer received to its channel's topic
 * (prefix/n/42 for channel 42, prefix/s/foo for the string channel foo), with MQTT 5 user properties that carry the
 * channel, the extra keys, the message id and time; the consumer turns messages on the prefix's topics back into
 * Skynet messages for a skynet: producer. Endpoints with the same broker and bridge id share one MQTT connection,
 * which subscribes with No Local, so a bidirectional bridge never receives what it published. While the broker is
 * down the bridge keeps running, holds messages in a bounded outbox and reconnects with backoff.
 */
// The javadoc above is the component's description in the generated schema and docs/components/skynet-mqtt.md. The
// generator keeps plain text only: no inline tags, no quotes, asterisks or angle brackets, and it stops at the first
// line that ends with a full stop. How the pieces fit: SkynetMqttComponent.
@UriEndpoint(firstVersion = "0.1.0", scheme = "skynet-mqtt", title = "Skynet MQTT bridge", syntax = "skynet-mqtt:bridgeId",
             category = {Category.MESSAGING, Category.IOT}, headersClass = SkynetMqttConstants.class)
public class SkynetMqttEndpoint extends DefaultEndpoint {

    @UriPath(description = "The bridge's id: its MQTT publishes carry it (skynet-bridge-id) and its consumer ignores"
                           + " them. Use the same value as the bridgeId of the bridge's skynet: endpoints.")
    @Metadata(required = true)
    private final String bridgeId;

    @UriParam(label = "common",
              description = "The MQTT broker: tcp://host:1883, ssl://host:8883, ws://... or wss://...")
    @Metadata(required = true)
    private String brokerUrl;

    @UriParam(label = "common", defaultValue = ChannelTopicMapping.DEFAULT_PREFIX,
              description = "Topic levels before the channel: prefix/n/42 for channel 42, prefix/s/foo for the string"
                            + " channel foo.")
    private String topicPrefix = ChannelTopicMapping.DEFAULT_PREFIX;

    @UriParam(label = "consumer", defaultValue = "*",
              description = "The Skynet channel whose topic the consumer subscribes to, in the syntax of skynet: (42,"
                            + " foo, s:42, n:42); the wildcard, an asterisk, subscribes to prefix/#.")
    private String channel = "*";

    @UriParam(label = "common", defaultValue = "1", enums = "0,1,2",
              description = "MQTT QoS of publishes and of the subscription.")
    private int qos = 1;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Publish retained: the broker keeps each topic's last message for new subscribers.")
    private boolean retain;

    @UriParam(label = "producer", defaultValue = "json", enums = "json,cbor",
              description = "MQTT body of a Skynet message: json (byte strings per the JSON mapping) or cbor (raw).")
    private String payloadFormat = "json";

    @UriParam(label = "consumer", defaultValue = "json", enums = "json,text,bytes,cbor",
              description = "How an MQTT body becomes a Skynet payload: json (JSON to a value; other text as text),"
                            + " text, bytes, or cbor (one CBOR item).")
    private String inboundFormat = "json";

    @UriParam(label = "producer", defaultValue = "10000",
              description = "Messages held while the broker is unreachable or slow; when full the oldest is dropped,"
                            + " counted and logged.")
    private int bufferSize = 10_000;

    @UriParam(label = "consumer", defaultValue = "8",
              description = "Most bridges a message may have crossed (skynet-hops) and still be handed to Skynet: the"
                            + " last guard against loops through several gateways.")
    private int maxHops = 8;

    @UriParam(label = "security", secret = true, description = "User name for the broker.")
    private String username;

    @UriParam(label = "security", secret = true, description = "Password for the broker.")
    private String password;

    @UriParam(label = "advanced",
              description = "MQTT client id; default skynet-bridge-{bridgeId}-{8 random characters}.")
    private String clientId;

    @UriParam(label = "advanced", defaultValue = "250", javaType = "java.time.Duration",
              description = "First reconnect delay: milliseconds (250) or a duration (2s); doubles per failure.")
    private long reconnectInitialDelay = 250;

    @UriParam(label = "advanced", defaultValue = "10000", javaType = "java.time.Duration",
              description = "Longest reconnect delay: milliseconds (10000) or a duration (10s).")
    private long reconnectMaxDelay = 10_000;

    /** The shared subscription group of a bridge: this and the bridge id. */
    static final String SHARE_GROUP_PREFIX = "skynet-";

    @UriParam(label = "consumer", defaultValue = "false",
              description = "Subscribe as one member of the MQTT 5 shared subscription $share/skynet-BRIDGEID/..."
                            + " (BRIDGEID: this bridge id): the broker gives each message to one member, so when every gateway of a cluster runs this"
                            + " bridge an MQTT message enters Skynet once. The bridge template sets it from"
                            + " skynet.cluster.nats-url.")
    private boolean sharedSubscription;

    @UriParam(label = "advanced", defaultValue = "30",
              description = "MQTT keep-alive in seconds: how soon a silently dead connection is noticed.")
    private int keepAlive = 30;

    /**
     * The bridge's availability topic: a retained {@code statusOnline} is published there after every connect, the
     * MQTT last will publishes a retained {@code statusOffline} there when the connection dies, and a clean stop
     * publishes {@code statusOffline} before disconnecting. Home Assistant entities point their availability at it.
     * Default {@code <topicPrefix>/status}; empty turns it off (no status messages, no last will).
     */
    @UriParam(label = "advanced",
              description = "Availability topic: retained statusOnline while connected, statusOffline (also as the MQTT"
                            + " last will) when gone. Default: the topic prefix followed by /status (skynet/status for"
                            + " the default bridge); empty turns it off.")
    private String statusTopic;

    /** Payload on {@link #statusTopic} while the bridge is connected (Home Assistant's default payload_available). */
    @UriParam(label = "advanced", defaultValue = MqttAvailability.DEFAULT_ONLINE,
              description = "Payload on statusTopic while the bridge is connected.")
    private String statusOnline = MqttAvailability.DEFAULT_ONLINE;

    /** Payload on {@link #statusTopic} once the bridge is gone (Home Assistant's default payload_not_available). */
    @UriParam(label = "advanced", defaultValue = MqttAvailability.DEFAULT_OFFLINE,
              description = "Payload on statusTopic once the bridge stopped or lost its connection (last will).")
    private String statusOffline = MqttAvailability.DEFAULT_OFFLINE;

    private ChannelTopicMapping mapping;
    private MqttAvailability availability;
    private PayloadFormat outbound;
    private PayloadFormat inbound;
    private Channel subscribedChannel;

    public SkynetMqttEndpoint(String uri, SkynetMqttComponent component, String bridgeId) {
        super(uri, component);
        this.bridgeId = bridgeId;
    }

    void validate() {
        String where = "skynet-mqtt:" + bridgeId + ": ";
        if (bridgeId == null || bridgeId.isBlank()) {
            throw new IllegalArgumentException("skynet-mqtt: needs a bridge id: skynet-mqtt:<bridgeId>?brokerUrl=...");
        }
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException(where + "brokerUrl is missing: give tcp://host:1883, or in the gateway set"
                    + " skynet.mqtt.url or leave skynet.mqtt.embedded.enabled=true");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException(where + "qos must be 0, 1 or 2, got " + qos);
        }
        if (maxHops < 1) {
            throw new IllegalArgumentException(where + "maxHops must be at least 1, got " + maxHops);
        }
        try {
            mapping = new ChannelTopicMapping(topicPrefix == null ? "" : topicPrefix);
            outbound = PayloadFormat.parse(payloadFormat, "payloadFormat");
            if (outbound != PayloadFormat.JSON && outbound != PayloadFormat.CBOR) {
                throw new IllegalArgumentException("payloadFormat is '" + payloadFormat + "'; expected json or cbor");
            }
            inbound = PayloadFormat.parse(inboundFormat, "inboundFormat");
            subscribedChannel = ChannelSyntax.parse(channel);
            linkOptions();
            availability = new MqttAvailability(statusTopic == null ? MqttAvailability.defaultTopic(mapping.prefix())
                    : statusTopic.trim(), statusOnline, statusOffline);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    MqttLinkOptions linkOptions() {
        return new MqttLinkOptions(bufferSize, reconnectInitialDelay, reconnectMaxDelay, 10, keepAlive, username,
                password, sharedSubscription ? SHARE_GROUP_PREFIX + getBridgeId() : null);
    }

    public boolean isSharedSubscription() {
        return sharedSubscription;
    }

    public void setSharedSubscription(boolean sharedSubscription) {
        this.sharedSubscription = sharedSubscription;
    }

    @Override
    public SkynetMqttComponent getComponent() {
        return (SkynetMqttComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new SkynetMqttProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SkynetMqttConsumer consumer = new SkynetMqttConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The channel-topic mapping of this endpoint's bridge (valid once the endpoint is created). */
    public ChannelTopicMapping mapping() {
        return mapping;
    }

    /** The bridge's status topic and payloads ({@link MqttAvailability#off()} when statusTopic is empty). */
    public MqttAvailability availability() {
        return availability;
    }

    PayloadFormat outboundFormat() {
        return outbound;
    }

    PayloadFormat inboundFormatValue() {
        return inbound;
    }

    /** The channel the consumer subscribes to ({@code *}: every channel). */
    public Channel subscribedChannel() {
        return subscribedChannel;
    }

    public String getBridgeId() {
        return bridgeId;
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getTopicPrefix() {
        return topicPrefix;
    }

    public void setTopicPrefix(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public int getQos() {
        return qos;
    }

    public void setQos(int qos) {
        this.qos = qos;
    }

    public boolean isRetain() {
        return retain;
    }

    public void setRetain(boolean retain) {
        this.retain = retain;
    }

    public String getPayloadFormat() {
        return payloadFormat;
    }

    public void setPayloadFormat(String payloadFormat) {
        this.payloadFormat = payloadFormat;
    }

    public String getInboundFormat() {
        return inboundFormat;
    }

    public void setInboundFormat(String inboundFormat) {
        this.inboundFormat = inboundFormat;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public int getMaxHops() {
        return maxHops;
    }

    public void setMaxHops(int maxHops) {
        this.maxHops = maxHops;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public void setReconnectInitialDelay(long reconnectInitialDelay) {
        this.reconnectInitialDelay = reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public int getKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(int keepAlive) {
        this.keepAlive = keepAlive;
    }

    public String getStatusTopic() {
        return statusTopic;
    }

    public void setStatusTopic(String statusTopic) {
        this.statusTopic = statusTopic;
    }

    public String getStatusOnline() {
        return statusOnline;
    }

    public void setStatusOnline(String statusOnline) {
        this.statusOnline = statusOnline;
    }

    public String getStatusOffline() {
        return statusOffline;
    }

    public void setStatusOffline(String statusOffline) {
        this.statusOffline = statusOffline;
    }
}
