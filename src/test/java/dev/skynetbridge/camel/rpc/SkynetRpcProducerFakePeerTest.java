package dev.skynetbridge.camel.rpc;

import static dev.skynetbridge.protocol.rpc.RpcVectors.CLIENT_ID;
import static dev.skynetbridge.protocol.rpc.RpcVectors.REQUEST_ID;
import static dev.skynetbridge.protocol.rpc.RpcVectors.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.skynetbridge.protocol.rpc.BsonValues;
import dev.skynetbridge.protocol.rpc.RequestHeader;
import dev.skynetbridge.protocol.rpc.ResponseHeader;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.protocol.rpc.ServiceHandshake;
import dev.skynetbridge.protocol.rpc.ServiceRpcIn;
import dev.skynetbridge.protocol.rpc.ServiceRpcOut;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The producer against raw-socket fake service peers that speak the real protocol over real TCP. */
class SkynetRpcProducerFakePeerTest {

    private final List<FakeSkynetService> fakes = new ArrayList<>();
    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void startCamel() {
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopAll() throws IOException {
        context.stop();
        for (FakeSkynetService fake : fakes) {
            fake.close();
        }
    }

    private FakeSkynetService fake(FakeSkynetService.Script script) throws IOException {
        FakeSkynetService fake = new FakeSkynetService(script);
        fakes.add(fake);
        return fake;
    }

    /** Answers every call with out = {data: upper-case of in.data}, in request order. */
    private static void upcaseService(FakeSkynetService.Peer peer) throws IOException {
        peer.write(RpcCodec.encode(new ServiceHandshake("TestService", true, CLIENT_ID)));
        peer.readDocument();
        while (true) {
            RequestHeader header = RpcCodec.decodeRequestHeader(peer.readDocument());
            ServiceRpcIn body = RpcCodec.decodeServiceRpcIn(peer.readDocument());
            peer.write(RpcCodec.encode(new ResponseHeader(header.serviceMethod(), header.seq(), "")),
                    RpcCodec.encode(new ServiceRpcOut(upcased(body.in()), "")));
        }
    }

    private static byte[] upcased(byte[] in) {
        String data = (String) BsonValues.toMap(in).get("data");
        return BsonValues.toBytes(Map.of("data", data.toUpperCase()));
    }

    @Test
    void producerBytesEqualTheGoClientVectorsAndTheVectorResponseBecomesAMap() throws Exception {
        CompletableFuture<List<byte[]>> received = new CompletableFuture<>();
        FakeSkynetService service = fake(peer -> {
            peer.write(get("serviceHandshake_2013"));
            List<byte[]> documents = List.of(peer.readDocument(), peer.readDocument(), peer.readDocument());
            received.complete(documents);
            peer.write(get("responseHeader"), get("responseBody"));
            peer.readDocument(); // hold the connection open until the producer closes it
        });

        Object reply = template.requestBodyAndHeader("skynet-rpc:TestService.Upcase?address=" + service.address(),
                Map.of("data", "hello"), SkynetRpcConstants.REQUEST_ID, REQUEST_ID);

        assertThat(reply).isEqualTo(Map.of("data", "HELLO"));
        List<byte[]> documents = received.get(5, TimeUnit.SECONDS);
        assertThat(documents.get(0)).isEqualTo(get("clientHandshake_2013"));
        assertThat(documents.get(1)).isEqualTo(get("requestHeader"));
        assertThat(documents.get(2)).isEqualTo(get("requestBody"));
    }

    @Test
    void a2012ServiceGetsThe2012EmptyClientHandshake() throws Exception {
        CompletableFuture<byte[]> clientHandshake = new CompletableFuture<>();
        FakeSkynetService service = fake(peer -> {
            peer.write(get("serviceHandshake_2012"));
            clientHandshake.complete(peer.readDocument());
            RequestHeader header = RpcCodec.decodeRequestHeader(peer.readDocument());
            ServiceRpcIn body = RpcCodec.decodeServiceRpcIn(peer.readDocument());
            assertThat(body.clientId()).isEqualTo(CLIENT_ID);
            peer.write(RpcCodec.encode(new ResponseHeader(header.serviceMethod(), header.seq(), "")),
                    RpcCodec.encode(new ServiceRpcOut(upcased(body.in()), "")));
            peer.readDocument();
        });

        Object reply = template.requestBody("skynet-rpc:TestService.Upcase?address=" + service.address(),
                "{\"data\":\"old\"}");

        assertThat(reply).isEqualTo(Map.of("data", "OLD"));
        assertThat(clientHandshake.get(5, TimeUnit.SECONDS)).isEqualTo(get("clientHandshake_2012"));
    }

    @Test
    void outOfOrderResponsesAreMatchedBySeq() throws Exception {
        FakeSkynetService service = fake(peer -> {
            peer.write(RpcCodec.encode(new ServiceHandshake("TestService", true, CLIENT_ID)));
            peer.readDocument();
            // Both calls must be in flight on this one connection before any answer: then answer seq 1 first.
            RequestHeader firstHeader = RpcCodec.decodeRequestHeader(peer.readDocument());
            ServiceRpcIn firstBody = RpcCodec.decodeServiceRpcIn(peer.readDocument());
            RequestHeader secondHeader = RpcCodec.decodeRequestHeader(peer.readDocument());
            ServiceRpcIn secondBody = RpcCodec.decodeServiceRpcIn(peer.readDocument());
            assertThat(List.of(firstHeader.seq(), secondHeader.seq())).containsExactly(0L, 1L);
            peer.write(RpcCodec.encode(new ResponseHeader(secondHeader.serviceMethod(), secondHeader.seq(), "")),
                    RpcCodec.encode(new ServiceRpcOut(upcased(secondBody.in()), "")));
            peer.write(RpcCodec.encode(new ResponseHeader(firstHeader.serviceMethod(), firstHeader.seq(), "")),
                    RpcCodec.encode(new ServiceRpcOut(upcased(firstBody.in()), "")));
            peer.readDocument();
        });
        String uri = "skynet-rpc:TestService.Upcase?poolSize=1&address=" + service.address();

        CompletableFuture<Object> first = template.asyncRequestBody(uri, Map.of("data", "first"));
        await().atMost(Duration.ofSeconds(5)).until(() -> service.acceptedConnections() == 1);
        CompletableFuture<Object> second = template.asyncRequestBody(uri, Map.of("data", "second"));

        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("data", "SECOND"));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("data", "FIRST"));
        assertThat(service.acceptedConnections()).isEqualTo(1);
        assertThat(service.scriptFailures()).isEmpty();
    }

    @Test
    void peerClosingMidCallFailsTheCallPromptlyNotAfterTheTimeout() throws Exception {
        FakeSkynetService service = fake(peer -> {
            peer.write(RpcCodec.encode(new ServiceHandshake("TestService", true, CLIENT_ID)));
            peer.readDocument();
            peer.readDocument();
            peer.readDocument();
            peer.socket.close(); // the call is in flight now
        });

        CompletableFuture<Object> call = template.asyncRequestBody(
                "skynet-rpc:TestService.Upcase?timeout=600000&address=" + service.address(), Map.of("data", "x"));

        // Far below the 10 min timeout: the failure comes from the close itself.
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .rootCause()
                .isInstanceOf(SkynetRpcConnectionException.class)
                .hasMessageContaining("skynet-rpc:TestService.Upcase")
                .hasMessageContaining("Upcase (seq 0) lost")
                .hasMessageContaining(service.address())
                .hasMessageContaining("while the call was in flight");
    }

    @Test
    void unregisteredServiceIsRefusedAndTheNextAddressServes() throws Exception {
        FakeSkynetService unregistered = fake(peer -> peer.write(get("serviceHandshake_2013_unregistered")));
        FakeSkynetService registered = fake(SkynetRpcProducerFakePeerTest::upcaseService);
        String uri = "skynet-rpc:TestService.Upcase?poolSize=1&address=" + unregistered.address() + ","
                + registered.address();

        var exchange = template.request(uri, e -> e.getMessage().setBody(Map.of("data", "next")));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo(Map.of("data", "NEXT"));
        assertThat(exchange.getMessage().getHeader(SkynetRpcConstants.REMOTE_ADDRESS)).isEqualTo(registered.address());
        assertThat(unregistered.acceptedConnections()).isEqualTo(1);
        SkynetRpcEndpoint endpoint = context.getEndpoint(uri, SkynetRpcEndpoint.class);
        assertThat(endpoint.getStatistics().getHandshakesRefused()).isEqualTo(1);
    }

    @Test
    void whenEveryAddressRefusesTheErrorNamesEachAndSaysWhatToCheck() throws Exception {
        FakeSkynetService unregistered = fake(peer -> peer.write(get("serviceHandshake_2013_unregistered")));
        FakeSkynetService wrongName = fake(peer -> {
            peer.write(RpcCodec.encode(new ServiceHandshake("OtherService", true, CLIENT_ID)));
            peer.readDocument();
        });

        assertThatThrownBy(() -> template.requestBody("skynet-rpc:TestService.Upcase?address="
                + unregistered.address() + "," + wrongName.address(), Map.of("data", "x")))
                .isInstanceOf(CamelExecutionException.class)
                .cause()
                .isInstanceOf(SkynetRpcConnectionException.class)
                .hasMessageContaining(unregistered.address() + " refused: the service answered registered=false")
                .hasMessageContaining(wrongName.address() + " refused: the service there is named 'OtherService'")
                .hasMessageContaining("check the address option");
    }

    @Test
    void malformedResponseDropsThatConnectionAndTheNextCallReconnects() throws Exception {
        FakeSkynetService service = fake(new FakeSkynetService.Script() {
            private int connection;

            @Override
            public void run(FakeSkynetService.Peer peer) throws Exception {
                if (connection++ == 0) {
                    peer.write(RpcCodec.encode(new ServiceHandshake("TestService", true, CLIENT_ID)));
                    peer.readDocument();
                    peer.readDocument();
                    peer.readDocument();
                    byte[] corrupt = get("responseHeader");
                    corrupt[4] = 0x42; // no such BSON element type
                    peer.write(corrupt, get("responseBody"));
                    peer.readDocument();
                } else {
                    upcaseService(peer);
                }
            }
        });
        // stableConnectionPeriod=0: the drop is not counted for the backoff (SkynetRpcFailoverTest covers that).
        String uri = "skynet-rpc:TestService.Upcase?poolSize=1&timeout=600000&stableConnectionPeriod=0&address="
                + service.address();

        assertThatThrownBy(() -> template.requestBody(uri, Map.of("data", "bad")))
                .isInstanceOf(CamelExecutionException.class)
                .cause()
                .isInstanceOf(SkynetRpcConnectionException.class)
                .hasMessageContaining("malformed data from the service");
        assertThat(template.requestBody(uri, Map.of("data", "good"))).isEqualTo(Map.of("data", "GOOD"));
        assertThat(context.getEndpoint(uri, SkynetRpcEndpoint.class).getStatistics()
                .getConnectionsDroppedMalformed()).isEqualTo(1);
    }

    @Test
    void rpcErrorAndMethodErrorAreDistinctExceptions() throws Exception {
        FakeSkynetService service = fake(peer -> {
            peer.write(RpcCodec.encode(new ServiceHandshake("TestService", true, CLIENT_ID)));
            peer.readDocument();
            while (true) {
                RequestHeader header = RpcCodec.decodeRequestHeader(peer.readDocument());
                ServiceRpcIn body = RpcCodec.decodeServiceRpcIn(peer.readDocument());
                if (body.method().equals("Nope")) {
                    peer.write(RpcCodec.encode(new ResponseHeader(header.serviceMethod(), header.seq(),
                            "No such method \"Nope\"")), RpcCodec.emptyDocument());
                } else {
                    peer.write(RpcCodec.encode(new ResponseHeader(header.serviceMethod(), header.seq(), "")),
                            RpcCodec.encode(new ServiceRpcOut(BsonValues.toBytes(Map.of("partial", 1L)),
                                    "disk full")));
                }
            }
        });
        String uri = "skynet-rpc:TestService?address=" + service.address();

        assertThatThrownBy(() -> template.requestBodyAndHeader(uri, Map.of(), SkynetRpcConstants.METHOD, "Nope"))
                .cause()
                .isInstanceOfSatisfying(SkynetRpcException.class, e -> {
                    assertThat(e.getRpcError()).isEqualTo("No such method \"Nope\"");
                    assertThat(e.getAddress()).isEqualTo(service.address());
                });
        assertThatThrownBy(() -> template.requestBodyAndHeader(uri, Map.of(), SkynetRpcConstants.METHOD, "Store"))
                .cause()
                .isInstanceOfSatisfying(SkynetRpcMethodException.class, e -> {
                    assertThat(e.getErrString()).isEqualTo("disk full");
                    assertThat(e.getOut()).isEqualTo(Map.of("partial", 1L));
                });
    }
}
