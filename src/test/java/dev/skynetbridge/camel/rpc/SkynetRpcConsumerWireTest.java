package dev.skynetbridge.camel.rpc;

import static dev.skynetbridge.protocol.rpc.RpcVectors.CLIENT_ID;
import static dev.skynetbridge.protocol.rpc.RpcVectors.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.protocol.rpc.ServiceHandshake;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer against a raw-socket client that writes the Go client's vector bytes: the service's answers must be
 * the Go service's vector bytes.
 */
class SkynetRpcConsumerWireTest {

    private CamelContext context;
    private SkynetRpcConsumer consumer;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("skynet-rpc:TestService?port=0&host=127.0.0.1&methods=Upcase&maxDocumentSize=4096")
                        .routeId("service")
                        .process(exchange -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> in = exchange.getMessage().getBody(Map.class);
                            exchange.getMessage().setBody(Map.of("data", ((String) in.get("data")).toUpperCase()));
                        });
            }
        });
        context.start();
        consumer = (SkynetRpcConsumer) context.getRoute("service").getConsumer();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** A raw TCP client that has completed the handshake. */
    private final class RawClient implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] serviceHandshake;

        RawClient() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), consumer.getActualPort());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            serviceHandshake = FakeSkynetService.readDocument(in);
            String clientId = RpcCodec.decodeServiceHandshake(serviceHandshake).clientId();
            out.write(RpcCodec.encode(new dev.skynetbridge.protocol.rpc.ClientHandshake(clientId)));
        }

        byte[] read() throws IOException {
            return FakeSkynetService.readDocument(in);
        }

        void write(byte[]... documents) throws IOException {
            for (byte[] document : documents) {
                out.write(document);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void handshakeIsThe2013FormWithARandomClientIdUuid() throws Exception {
        try (RawClient first = new RawClient(); RawClient second = new RawClient()) {
            ServiceHandshake handshake = RpcCodec.decodeServiceHandshake(first.serviceHandshake);
            assertThat(handshake.name()).isEqualTo("TestService");
            assertThat(handshake.registered()).isTrue();
            assertThat(handshake.clientId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(RpcCodec.decodeServiceHandshake(second.serviceHandshake).clientId())
                    .isNotEqualTo(handshake.clientId());
            // Byte for byte the vector, once its clientid is swapped for the one handed out here.
            assertThat(first.serviceHandshake).isEqualTo(withClientId(get("serviceHandshake_2013"),
                    handshake.clientId()));
        }
    }

    @Test
    void goClientRequestBytesGetTheGoServiceResponseBytes() throws Exception {
        try (RawClient client = new RawClient()) {
            client.write(get("requestHeader"), get("requestBody"));
            assertThat(client.read()).isEqualTo(get("responseHeader"));
            assertThat(client.read()).isEqualTo(get("responseBody"));
        }
    }

    @Test
    void unknownMethodGetsTheGoServiceErrorBytes() throws Exception {
        byte[] nopeHeader = RpcCodec.encode(new dev.skynetbridge.protocol.rpc.RequestHeader("TestService.Forward", 1));
        byte[] nopeBody = RpcCodec.encode(new dev.skynetbridge.protocol.rpc.ServiceRpcIn(CLIENT_ID, "Nope",
                new dev.skynetbridge.protocol.rpc.RequestInfo("", "", "r", 0), get("inParams")));
        try (RawClient client = new RawClient()) {
            client.write(nopeHeader, nopeBody);
            assertThat(client.read()).isEqualTo(get("errorResponseHeader"));
            assertThat(client.read()).isEqualTo(get("errorResponseBody"));
        }
    }

    @Test
    void malformedDocumentDropsOnlyThatConnection() throws Exception {
        try (RawClient healthy = new RawClient(); RawClient broken = new RawClient()) {
            byte[] corrupt = get("requestHeader");
            corrupt[4] = 0x42; // no such BSON element type
            broken.write(corrupt);

            assertThat(broken.in.read()).as("the broken connection is closed by the service").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getConnectionCount() == 1);
            assertThat(consumer.getEndpoint().getStatistics().getConnectionsDroppedMalformed()).isEqualTo(1);

            healthy.write(get("requestHeader"), get("requestBody"));
            assertThat(healthy.read()).isEqualTo(get("responseHeader"));
            assertThat(healthy.read()).isEqualTo(get("responseBody"));
        }
    }

    @Test
    void documentAboveMaxDocumentSizeDropsTheConnection() throws Exception {
        try (RawClient client = new RawClient()) {
            client.write(new byte[] {0, 0, 0x10, 0}); // announces a 1 MiB document, above maxDocumentSize=4096
            assertThat(client.in.read()).isEqualTo(-1);
        }
        try (RawClient next = new RawClient()) {
            next.write(get("requestHeader"), get("requestBody"));
            assertThat(next.read()).isEqualTo(get("responseHeader"));
        }
    }

    private static byte[] withClientId(byte[] vector, String clientId) {
        String text = new String(vector, StandardCharsets.ISO_8859_1).replace(CLIENT_ID, clientId);
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
