package dev.skynetbridge.camel;

import dev.skynetbridge.client.ClientOptions;
import dev.skynetbridge.client.ProtocolVersion;
import dev.skynetbridge.protocol.Channel;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
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
 * Send to and receive from a Skynet channel, the virtual modem ComputerCraft computers talk over a websocket. Without
 * the server option an endpoint talks in-process to the gateway's embedded Skynet server; with a server address (a ws
 * or wss URL such as ws://host:3030/connect) it is a client of any Skynet server, v2 (CBOR) or v1 (JSON): one shared
 * connection per address, channels re-opened after every reconnect, backoff with jitter, and the route starts while
 * the server is down. A consumer's body is the payload as plain Java values (Map, List, String, Long, Double, bytes,
 * Boolean or null); a producer sends the body, JSON text as the parsed value (a Lua table) unless parseJson=false.
 */
// The javadoc above is the component's description in the generated schema and docs/components/skynet.md. The
// generator keeps plain text only: no inline tags, no quotes, asterisks or angle brackets, and it stops at the first
// line that ends with a full stop. The channel syntax is parsed by ChannelSyntax.
@UriEndpoint(firstVersion = "0.1.0", scheme = "skynet", title = "Skynet", syntax = "skynet:channel",
             category = {Category.MESSAGING, Category.IOT}, headersClass = SkynetConstants.class)
public class SkynetEndpoint extends DefaultEndpoint {

    /** How a consumer's full queue makes room. */
    public enum QueueFullPolicy { DROP_OLDEST, DROP_NEWEST }

    // No asterisk in the text: the schema generator drops it (see the class comment).
    @UriPath(description = "The channel: 42 or -7 (numeric, signed 64-bit), foo (a string), s:42 (the string '42'),"
                           + " n:42 (numeric, canonical form), or the wildcard, an asterisk: a consumer on it receives"
                           + " every channel; a producer on it sends to the wildcard channel itself, which only"
                           + " wildcard listeners receive.")
    @Metadata(required = true)
    private final String channel;

    private final Channel parsedChannel;

    @UriParam(label = "common", description = "Address of a remote Skynet server (ws://host:port/connect or wss://...)."
                                              + " Without it the endpoint uses the embedded server's hub in-process.")
    private String server;

    @UriParam(label = "common", defaultValue = "v2", enums = "v1,v2",
              description = "Protocol of the remote server: v2 (CBOR) or v1 (JSON).")
    private String protocol = "v2";

    @UriParam(label = "common",
              description = "Endpoints with the same bridgeId are one participant of the embedded hub, like one"
                            + " websocket connection: a consumer never receives what a producer of the same bridge sent,"
                            + " so a bidirectional bridge cannot loop. Without it, a consumer receives everything and a"
                            + " producer reaches every listener. (Remote endpoints of one server always share a connection.)")
    private String bridgeId;

    @UriParam(label = "producer", defaultValue = "true",
              description = "Text or bytes that hold JSON are sent as the parsed value (a JSON object arrives in Lua as a"
                            + " table) and other UTF-8 bytes as text. When false, text is sent as text and bytes as a"
                            + " byte string, unchanged.")
    private boolean parseJson = true;

    @UriParam(label = "consumer", defaultValue = "false",
              description = "In a cluster of gateways (skynet.cluster.nats-url), also receive the messages that entered"
                            + " Skynet on the other gateways. Off, a consumer gets only what entered on its own gateway,"
                            + " so a bridge that every gateway runs handles each message once in the whole cluster."
                            + " On, every gateway's route sees every message: for per-node work, not for bridges."
                            + " Endpoints of one bridgeId share a participant only when they agree on it.")
    private boolean clusterMessages;

    @UriParam(label = "consumer", defaultValue = "10000",
              description = "Messages waiting for the route, at most. When full, see queueFullPolicy; drops are counted"
                            + " and logged.")
    private int queueSize = 10_000;

    @UriParam(label = "consumer", defaultValue = "DROP_OLDEST", enums = "DROP_OLDEST,DROP_NEWEST",
              description = "What a full consumer queue drops: the oldest waiting message or the new one.")
    private QueueFullPolicy queueFullPolicy = QueueFullPolicy.DROP_OLDEST;

    @UriParam(label = "advanced", defaultValue = "250", javaType = "java.time.Duration",
              description = "First reconnect delay to a remote server: milliseconds (250) or a duration (2s); doubles"
                            + " per failure, with jitter.")
    private long reconnectInitialDelay = ClientOptions.DEFAULT_RECONNECT_INITIAL_MILLIS;

    @UriParam(label = "advanced", defaultValue = "30000", javaType = "java.time.Duration",
              description = "Longest reconnect delay to a remote server: milliseconds (30000) or a duration (30s).")
    private long reconnectMaxDelay = ClientOptions.DEFAULT_RECONNECT_MAX_MILLIS;

    @UriParam(label = "producer,advanced", defaultValue = "10000",
              description = "Messages a producer holds while the remote server is unreachable; the oldest is dropped"
                            + " (and counted) beyond that.")
    private int pendingSendLimit = ClientOptions.DEFAULT_PENDING_SEND_LIMIT;

    @UriParam(label = "advanced", defaultValue = "1048576",
              description = "Largest websocket message accepted from a remote server, in bytes.")
    private int maxFrameSize = ClientOptions.DEFAULT_MAX_FRAME_SIZE;

    public boolean isClusterMessages() {
        return clusterMessages;
    }

    public void setClusterMessages(boolean clusterMessages) {
        this.clusterMessages = clusterMessages;
    }

    public SkynetEndpoint(String uri, SkynetComponent component, Channel channel) {
        super(uri, component);
        this.parsedChannel = channel;
        this.channel = channel.isNumeric() ? Long.toString(channel.number()) : channel.name();
    }

    void validate() {
        if (server != null) {
            clientOptions();
        } else {
            try {
                protocolVersion(); // also without a server, so a typo does not wait until one is added
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("skynet:" + channel + ": " + e.getMessage(), e);
            }
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("skynet:" + channel + ": queueSize must be at least 1, got " + queueSize);
        }
    }

    @Override
    public SkynetComponent getComponent() {
        return (SkynetComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new SkynetProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SkynetConsumer consumer = new SkynetConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public Channel channel() {
        return parsedChannel;
    }

    boolean usesRemoteServer() {
        return server != null && !server.isBlank();
    }

    ClientOptions clientOptions() {
        URI uri;
        try {
            uri = new URI(server);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("skynet:" + channel + ": server '" + server + "' is not a URI: "
                    + e.getMessage());
        }
        try {
            return new ClientOptions(uri, protocolVersion(), reconnectInitialDelay, reconnectMaxDelay, maxFrameSize,
                    pendingSendLimit, ClientOptions.DEFAULT_CONNECT_TIMEOUT_MILLIS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("skynet:" + channel + ": " + e.getMessage(), e);
        }
    }

    private ProtocolVersion protocolVersion() {
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "v2", "2" -> ProtocolVersion.V2;
            case "v1", "1" -> ProtocolVersion.V1;
            default -> throw new IllegalArgumentException("protocol must be v1 or v2, got '" + protocol + "'");
        };
    }

    public String getChannel() {
        return channel;
    }

    public String getBridgeId() {
        return bridgeId;
    }

    public void setBridgeId(String bridgeId) {
        this.bridgeId = bridgeId == null || bridgeId.isBlank() ? null : bridgeId;
    }

    public String getServer() {
        return server;
    }

    public void setServer(String server) {
        this.server = server;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public boolean isParseJson() {
        return parseJson;
    }

    public void setParseJson(boolean parseJson) {
        this.parseJson = parseJson;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public QueueFullPolicy getQueueFullPolicy() {
        return queueFullPolicy;
    }

    public void setQueueFullPolicy(QueueFullPolicy queueFullPolicy) {
        this.queueFullPolicy = queueFullPolicy;
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

    public int getPendingSendLimit() {
        return pendingSendLimit;
    }

    public void setPendingSendLimit(int pendingSendLimit) {
        this.pendingSendLimit = pendingSendLimit;
    }

    public int getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }
}
