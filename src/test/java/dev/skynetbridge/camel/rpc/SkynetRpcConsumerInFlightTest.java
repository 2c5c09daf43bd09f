package dev.skynetbridge.camel.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skynetbridge.protocol.rpc.BsonValues;
import dev.skynetbridge.protocol.rpc.ClientHandshake;
import dev.skynetbridge.protocol.rpc.RequestHeader;
import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.ResponseHeader;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.protocol.rpc.ServiceRpcIn;
import dev.skynetbridge.rpc.RpcStatistics;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer's maxInFlight against a raw client that pipelines many requests in one write. */
class SkynetRpcConsumerInFlightTest {

    private static final int MAX_IN_FLIGHT = 2;
    private static final int REQUESTS = 10;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private CamelContext context;
    private SkynetRpcConsumer consumer;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("skynet-rpc:TestService?port=0&host=127.0.0.1&maxInFlight=" + MAX_IN_FLIGHT)
                        .routeId("service")
                        .process(exchange -> {
                            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } finally {
                                running.decrementAndGet();
                            }
                        });
            }
        });
        context.start();
        consumer = (SkynetRpcConsumer) context.getRoute("service").getConsumer();
    }

    @AfterEach
    void stop() {
        release.countDown();
        context.stop();
    }

    @Test
    void requestsPipelinedInOneWriteNeverRunMoreThanMaxInFlightAtOnce() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), consumer.getActualPort())) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String clientId = RpcCodec.decodeServiceHandshake(FakeSkynetService.readDocument(in)).clientId();
            ByteArrayOutputStream oneWrite = new ByteArrayOutputStream();
            oneWrite.writeBytes(RpcCodec.encode(new ClientHandshake(clientId)));
            for (int seq = 0; seq < REQUESTS; seq++) {
                oneWrite.writeBytes(RpcCodec.encode(new RequestHeader(RequestHeader.forwardMethodOf("TestService"),
                        seq)));
                oneWrite.writeBytes(RpcCodec.encode(new ServiceRpcIn(clientId, "Echo",
                        new RequestInfo("", "", "request-" + seq, 0), BsonValues.toBytes(Map.of("seq", (long) seq)))));
            }
            out.write(oneWrite.toByteArray());
            out.flush();

            RpcStatistics statistics = consumer.getEndpoint().getStatistics();
            await().atMost(Duration.ofSeconds(10)).until(() -> running.get() >= MAX_IN_FLIGHT
                    && statistics.getReadPausesInFlightFull() >= 1);
            // Every request already sits in the service's receive buffer or backlog, yet only maxInFlight reached
            // the route (the counter is raised before a call is handed to the route).
            assertThat(statistics.getConsumerInFlightHighWater()).isEqualTo(MAX_IN_FLIGHT);

            release.countDown();
            Set<Long> answered = new HashSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                ResponseHeader header = RpcCodec.decodeResponseHeader(FakeSkynetService.readDocument(in));
                assertThat(header.isError()).isFalse();
                FakeSkynetService.readDocument(in);
                answered.add(header.seq());
            }
            assertThat(answered).hasSize(REQUESTS);
            assertThat(mostRunning.get()).isEqualTo(MAX_IN_FLIGHT);
            assertThat(statistics.getConsumerInFlightHighWater()).isEqualTo(MAX_IN_FLIGHT);
        }
    }
}
