package dev.skynetbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The skynet: component inside the real gateway (Camel Main, YAML routes from a folder, the
 * embedded server), driven by real websocket clients.
 */
class SkynetComponentTest {

    static final String ROUTES = """
            - route:
                id: from-42
                from:
                  uri: "skynet:42"
                  steps:
                    - to: "seda:received-42"
            - route:
                id: from-string-42
                from:
                  uri: "skynet:s:42"
                  steps:
                    - to: "seda:received-s42"
            - route:
                id: to-skynet
                from:
                  uri: "direct:send"
                  steps:
                    - to: "skynet:7"
            - route:
                id: to-skynet-raw
                from:
                  uri: "direct:send-raw"
                  steps:
                    - to: "skynet:7?parseJson=false"
            - route:
                id: bridge-in
                from:
                  uri: "skynet:5?bridgeId=b1"
                  steps:
                    - to: "seda:bridge-in"
            - route:
                id: bridge-out
                from:
                  uri: "direct:bridge-out"
                  steps:
                    - to: "skynet:5?bridgeId=b1"
            - route:
                id: relay-kamelets
                from:
                  uri: "kamelet:skynet-source?channel=100"
                  steps:
                    - to: "kamelet:skynet-sink?channel=101"
            """;

    static Vertx vertx;
    static GatewayUnderTest gateway;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        gateway = GatewayUnderTest.start(Map.of("component-test", ROUTES));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close();
    }

    RawWebSocket client() {
        return RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
    }

    Exchange receive(String endpoint) {
        ConsumerTemplate consumer = gateway.context().createConsumerTemplate();
        Exchange exchange = consumer.receive(endpoint, 10_000);
        assertThat(exchange).as("a message on " + endpoint).isNotNull();
        return exchange;
    }

    SkynetHub hub() {
        return gateway.context().getRegistry().findSingleByType(SkynetHub.class);
    }

    @Test
    void aYamlRouteReceivesWhatAWebsocketClientSends() throws Exception {
        try (RawWebSocket client = client()) {
            Map<String, Object> extras = Map.of("sender", "turtle");
            client.sendBinary(V2Codec.encodeSend(new SkynetMessage(Channel.of(42), Map.of("fuel", 80L),
                    new java.util.LinkedHashMap<>(extras), null, null)));
            Exchange exchange = receive("seda:received-42");
            assertThat(exchange.getMessage().getBody()).isEqualTo(Map.of("fuel", 80L));
            assertThat(exchange.getMessage().getHeader(SkynetConstants.CHANNEL)).isEqualTo("n:42");
            assertThat(exchange.getMessage().getHeader(SkynetConstants.TIME)).isInstanceOf(Instant.class);
            assertThat(exchange.getMessage().getHeader(SkynetConstants.EXTRAS)).isEqualTo(extras);
            assertThat(exchange.getMessage().getHeader(SkynetConstants.MESSAGE_ID, String.class)).isNotBlank();
            // The map converts to JSON for byte- or text-oriented endpoints.
            assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"fuel\":80}");
        }
    }

    @Test
    void numericAndStringChannelSyntaxAreDistinct() throws Exception {
        try (RawWebSocket client = client()) {
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("42"), "text channel")));
            Exchange exchange = receive("seda:received-s42");
            assertThat(exchange.getMessage().getBody()).isEqualTo("text channel");
            assertThat(exchange.getMessage().getHeader(SkynetConstants.CHANNEL)).isEqualTo("s:42");
            assertThat(gateway.context().createConsumerTemplate().receiveNoWait("seda:received-42")).isNull();
        }
    }

    @Test
    void theProducerSendsJsonTextAsAValueAndRawTextAsText() throws Exception {
        try (RawWebSocket client = client()) {
            client.sendBinary(V2Codec.encodeOpen(Channel.of(7)));
            await().until(() -> hub().subscriberCount(Channel.of(7)) == 1);
            ProducerTemplate producer = gateway.context().createProducerTemplate();

            producer.sendBodyAndHeader("direct:send", "{\"cmd\":\"dig\",\"n\":3}".getBytes(StandardCharsets.UTF_8),
                    SkynetConstants.EXTRAS, Map.of("from", "mqtt"));
            SkynetMessage json = push(client);
            assertThat(json.payload()).isEqualTo(Map.of("cmd", "dig", "n", 3L));
            assertThat(json.extras()).containsExactly(Map.entry("from", "mqtt"));

            producer.sendBody("direct:send", "ON".getBytes(StandardCharsets.UTF_8));
            assertThat(push(client).payload()).as("UTF-8 that is not JSON arrives as text").isEqualTo("ON");

            producer.sendBody("direct:send-raw", "{\"cmd\":\"dig\"}");
            assertThat(push(client).payload()).isEqualTo("{\"cmd\":\"dig\"}");

            producer.sendBody("direct:send-raw", new byte[] {1, 2});
            assertThat((byte[]) push(client).payload()).containsExactly(1, 2);

            producer.sendBodyAndHeader("direct:send", List.of(1L), SkynetConstants.OVERRIDE_CHANNEL, "s:7");
            assertThat(client.poll(300)).as("the override went to the string channel \"7\"").isNull();
        }
    }

    static SkynetMessage push(RawWebSocket client) throws Exception {
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
    }

    @Test
    void aBridgeNeverReceivesWhatItSentItself() throws Exception {
        try (RawWebSocket client = client()) {
            client.sendBinary(V2Codec.encodeOpen(Channel.of(5)));
            await().until(() -> hub().subscriberCount(Channel.of(5)) == 2);
            gateway.context().createProducerTemplate().sendBody("direct:bridge-out", "from the bridge");
            assertThat(push(client).payload()).isEqualTo("from the bridge");
            assertThat(gateway.context().createConsumerTemplate().receive("seda:bridge-in", 300))
                    .as("the bridge's own consumer does not get it back").isNull();

            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(5), "from the game")));
            assertThat(receive("seda:bridge-in").getMessage().getBody()).isEqualTo("from the game");
        }
    }

    @Test
    void shippedRouteTemplatesAreAvailable() throws Exception {
        try (RawWebSocket client = client()) {
            client.sendBinary(V2Codec.encodeOpen(Channel.of(101)));
            await().until(() -> hub().subscriberCount(Channel.of(101)) == 1);
            client.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(100), "relayed")));
            SkynetMessage relayed = push(client);
            assertThat(relayed.channel()).isEqualTo(Channel.of(101));
            assertThat(relayed.payload()).isEqualTo("relayed");
        }
    }

    @Test
    void wrongOptionsFailWithAClearMessage() {
        assertThatThrownBy(() -> gateway.context().getEndpoint("skynet:42?bogus=1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> gateway.context().getEndpoint("skynet:42?server=http://x&protocol=v2"))
                .hasMessageContaining("ws://host[:port]/path");
        assertThatThrownBy(() -> gateway.context().getEndpoint("skynet:42?server=ws://x:1/connect&protocol=v3"))
                .hasMessageContaining("protocol must be v1 or v2");
        assertThatThrownBy(() -> gateway.context().getEndpoint("skynet:n:abc"))
                .hasMessageContaining("is not a 64-bit integer");
    }

    @Test
    void payloadsConvertToCborOnRequest() {
        CborBytes cbor = gateway.context().getTypeConverter().convertTo(CborBytes.class, Map.of("a", 1L));
        assertThat(dev.skynetbridge.testsupport.Hex.hex(cbor.bytes())).isEqualTo("a1616101");
        assertThat(JsonValues.toJson(Map.of("a", 1L))).isEqualTo("{\"a\":1}");
    }
}
