package dev.skynetbridge.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.rpc.BsonValues;
import dev.skynetbridge.protocol.rpc.RequestInfo;
import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.testsupport.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Camel-free RPC client pool calling the Camel-free RPC server over real TCP on an ephemeral port. */
class RpcClientServerTest {

    private static final RequestInfo NO_INFO = new RequestInfo("", "", "rq-1", 0);
    private static final int MAX_DOCUMENT_SIZE = 1 << 20;

    private final CountDownLatch releaseSlowCalls = new CountDownLatch(1);
    private final RpcStatistics serverStatistics = new RpcStatistics();
    private final RpcStatistics clientStatistics = new RpcStatistics();
    private Vertx vertx;
    private RpcServer server;
    private RpcClientPool pool;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = new RpcServer(vertx, "test-service", "TestService", new RpcServerOptions("127.0.0.1", 0,
                Set.of("Upcase", "Fail", "Slow", "Who"), true, 10, 16, MAX_DOCUMENT_SIZE), serverStatistics,
                this::serve);
        port = result(server.listen());
    }

    @AfterEach
    void stop() throws Exception {
        releaseSlowCalls.countDown();
        if (pool != null) {
            pool.close();
        }
        result(server.close());
        result(vertx.close());
    }

    private void serve(RpcRequest request) {
        switch (request.method()) {
            case "Upcase" -> request.reply(BsonValues.toBytes(Map.of("data",
                    String.valueOf(request.in().get("data")).toUpperCase())), "");
            case "Fail" -> request.reply(RpcCodec.emptyDocument(), "out of paper");
            case "Slow" -> {
                try {
                    releaseSlowCalls.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                request.reply(RpcCodec.emptyDocument(), "");
            }
            case "Who" -> request.reply(BsonValues.toBytes(Map.of("clientId", request.clientId(), "origin",
                    request.originAddress(), "remote", request.remoteAddress(), "requestId",
                    request.requestInfo().requestId())), "");
            default -> throw new IllegalStateException("not served: " + request.method());
        }
    }

    private RpcClientPool pool(List<RpcAddress> addresses, int maxInFlight) {
        pool = new RpcClientPool(vertx, "test-client", "TestService", new RpcClientOptions(addresses, 5_000, 50, 100,
                0, 2, maxInFlight, MAX_DOCUMENT_SIZE), clientStatistics);
        return pool;
    }

    private RpcClientPool pool() {
        return pool(List.of(new RpcAddress("127.0.0.1", port)), 16);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Map<String, Object> out(RpcResponse response) {
        return BsonValues.toMap(response.body().out());
    }

    @Test
    void aCallReachesTheHandlerAndItsReplyComesBack() throws Exception {
        RpcResponse response = result(pool().call("Upcase", BsonValues.toBytes(Map.of("data", "hello")), NO_INFO,
                10_000));

        assertThat(response.header().isError()).isFalse();
        assertThat(response.body().isMethodError()).isFalse();
        assertThat(out(response)).isEqualTo(Map.of("data", "HELLO"));
        assertThat(response.address()).isEqualTo(new RpcAddress("127.0.0.1", port));
        assertThat(response.header().serviceMethod()).isEqualTo("TestService.Forward");
    }

    @Test
    void theHandlerSeesWhoCalled() throws Exception {
        RpcResponse response = result(pool().call("Who", RpcCodec.emptyDocument(), NO_INFO, 10_000));

        Map<String, Object> who = out(response);
        assertThat(who.get("clientId")).as("the clientid the server handed out").isEqualTo(response.clientId());
        assertThat(who.get("requestId")).isEqualTo("rq-1");
        assertThat(String.valueOf(who.get("origin"))).as("empty origin: the caller itself")
                .isEqualTo(who.get("remote")).contains("127.0.0.1");
    }

    @Test
    void aMethodErrorAndAnUnservedMethodAreToldApart() throws Exception {
        RpcResponse failed = result(pool().call("Fail", RpcCodec.emptyDocument(), NO_INFO, 10_000));
        assertThat(failed.header().isError()).isFalse();
        assertThat(failed.body().errString()).isEqualTo("out of paper");

        RpcResponse unknown = result(pool.call("Nope", RpcCodec.emptyDocument(), NO_INFO, 10_000));
        assertThat(unknown.header().error()).isEqualTo("No such method \"Nope\"");
    }

    @Test
    void aCallWithoutAResponseTimesOutAndIsCounted() {
        assertThatThrownBy(() -> result(pool().call("Slow", RpcCodec.emptyDocument(), NO_INFO, 200)))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("no response to Slow");
        assertThat(clientStatistics.getCallsTimedOut()).isEqualTo(1);
    }

    @Test
    void whenNoAddressAnswersTheFailureNamesEachAndCallsThenFailAtOnce() {
        int deadPort = FreePorts.pick();
        RpcClientPool unreachable = pool(List.of(new RpcAddress("127.0.0.1", deadPort)), 16);

        assertThatThrownBy(() -> result(unreachable.call("Upcase", RpcCodec.emptyDocument(), NO_INFO, 10_000)))
                .cause().isInstanceOf(RpcConnectionException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + deadPort);
        assertThat(unreachable.addressStatuses()).singleElement().satisfies(status -> {
            assertThat(status.isBackingOff()).isTrue();
            assertThat(status.connectAttempts()).isEqualTo(1);
        });
    }

    @Test
    void anUnregisteredServiceIsRefusedAndCounted() throws Exception {
        RpcServer unregistered = new RpcServer(vertx, "unregistered", "TestService", new RpcServerOptions("127.0.0.1",
                0, Set.of(), false, 10, 16, MAX_DOCUMENT_SIZE), new RpcStatistics(), this::serve);
        int unregisteredPort = result(unregistered.listen());
        try {
            RpcClientPool refused = pool(List.of(new RpcAddress("127.0.0.1", unregisteredPort),
                    new RpcAddress("127.0.0.1", port)), 16);
            RpcResponse response = result(refused.call("Upcase", BsonValues.toBytes(Map.of("data", "x")), NO_INFO,
                    10_000));
            assertThat(response.address().port()).as("the next address served").isEqualTo(port);
            assertThat(clientStatistics.getHandshakesRefused()).isEqualTo(1);
        } finally {
            result(unregistered.close());
        }
    }

    @Test
    void callsBeyondMaxInFlightFailAtOnce() throws Exception {
        RpcClientPool small = pool(List.of(new RpcAddress("127.0.0.1", port)), 1);
        result(small.call("Upcase", BsonValues.toBytes(Map.of("data", "warm")), NO_INFO, 10_000)); // both slots
        result(small.call("Upcase", BsonValues.toBytes(Map.of("data", "warm")), NO_INFO, 10_000)); // connected
        Future<RpcResponse> slowA = small.call("Slow", RpcCodec.emptyDocument(), NO_INFO, 30_000);
        Future<RpcResponse> slowB = small.call("Slow", RpcCodec.emptyDocument(), NO_INFO, 30_000);

        assertThatThrownBy(() -> result(small.call("Upcase", RpcCodec.emptyDocument(), NO_INFO, 10_000)))
                .cause().isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                .hasMessageContaining("raise maxInFlight or poolSize");
        assertThat(clientStatistics.getCallsRejectedInFlightFull()).isEqualTo(1);
        releaseSlowCalls.countDown();
        result(slowA);
        result(slowB);
    }

    @Test
    void closingTheServerFailsTheCallsInFlightAsConnectionProblems() throws Exception {
        RpcClientPool client = pool();
        Future<RpcResponse> slow = client.call("Slow", RpcCodec.emptyDocument(), NO_INFO, 60_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() > 0);

        server.close();
        assertThatThrownBy(() -> result(slow)).cause().isInstanceOf(RpcConnectionException.class)
                .hasMessageContaining("while the call was in flight");
        assertThat(clientStatistics.getCallsFailedConnectionClosed()).isEqualTo(1);
    }
}
