package dev.skynetbridge.camel.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.skynetbridge.protocol.rpc.RpcCodec;
import dev.skynetbridge.protocol.rpc.ServiceHandshake;
import dev.skynetbridge.rpc.RpcAddressStatus;
import dev.skynetbridge.testsupport.FreePorts;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The producer's per-address backoff and failover, against two real skynet-rpc consumers of this project (A and B)
 * that the tests start and stop on fixed-for-the-test free ports, and a raw-socket fake service that drops every
 * connection right after its handshake.
 */
class SkynetRpcFailoverTest {

    private CamelContext context;
    private String addressA;
    private String addressB;
    private SkynetRpcProducer producer;

    @BeforeEach
    void start() throws Exception {
        List<Integer> ports = FreePorts.pick(2);
        addressA = "127.0.0.1:" + ports.get(0);
        addressB = "127.0.0.1:" + ports.get(1);
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("skynet-rpc:TestService?host=127.0.0.1&port=" + ports.get(0)).routeId("A").autoStartup(false)
                        .setBody(constant(Map.of("servedBy", "A")));
                from("skynet-rpc:TestService?host=127.0.0.1&port=" + ports.get(1)).routeId("B").autoStartup(false)
                        .setBody(constant(Map.of("servedBy", "B")));
            }
        });
        context.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (producer != null) {
            producer.stop();
        }
        context.stop();
    }

    private SkynetRpcProducer producer(String options) throws Exception {
        return producerFor(addressA + "," + addressB, "poolSize=1&" + options);
    }

    private SkynetRpcProducer producerFor(String addresses, String options) throws Exception {
        SkynetRpcEndpoint endpoint = context.getEndpoint("skynet-rpc:TestService.Echo?address=" + addresses + "&"
                + options, SkynetRpcEndpoint.class);
        producer = (SkynetRpcProducer) endpoint.createProducer();
        producer.start();
        return producer;
    }

    private static Exchange call(SkynetRpcProducer producer) throws Exception {
        Exchange exchange = producer.getEndpoint().createExchange();
        exchange.getMessage().setBody(Map.of("data", "x"));
        producer.process(exchange);
        return exchange;
    }

    private static String servedBy(Exchange exchange) {
        if (exchange.getException() != null) {
            return "failed: " + exchange.getException().getMessage();
        }
        return String.valueOf(exchange.getMessage().getBody(Map.class).get("servedBy"));
    }

    private RpcAddressStatus status(String address) {
        return producer.getAddressStatuses().stream().filter(s -> s.address().equals(address)).findFirst()
                .orElseThrow();
    }

    private HealthCheck.Result rpcHealth() {
        return HealthCheckRegistry.get(context).getCheck("skynet-rpc").orElseThrow().call();
    }

    @Test
    void callsGoToTheSecondAddressWhileTheFirstIsDownAndReturnToTheFirstAfterItsBackoff() throws Exception {
        context.getRouteController().startRoute("B");
        SkynetRpcProducer producer = producer("reconnectInitialDelay=20&reconnectMaxDelay=100");

        assertThat(servedBy(call(producer))).isEqualTo("B");
        assertThat(status(addressA).state()).isEqualTo("BACKING_OFF");
        assertThat(status(addressA).nextAttemptAt()).isNotNull();
        assertThat(status(addressA).lastProblem()).contains("cannot connect to " + addressA);
        assertThat(status(addressB).state()).isEqualTo("CONNECTED");
        assertThat(rpcHealth().getState()).isEqualTo(HealthCheck.State.UP);

        context.getRouteController().startRoute("A");

        // Once A's backoff has run out a call starts a background connect to A; a later call is served by A.
        await().atMost(Duration.ofSeconds(20)).until(() -> servedBy(call(producer)).equals("A"));
        assertThat(status(addressA).state()).isEqualTo("CONNECTED");
        assertThat(status(addressA).connectAttempts()).isGreaterThanOrEqualTo(2);
        // The replaced connection to B closes once idle.
        await().atMost(Duration.ofSeconds(10)).until(() -> status(addressB).openConnections() == 0);
        assertThat(servedBy(call(producer))).isEqualTo("A");
    }

    @Test
    void whenEveryAddressIsDownCallsFailAtOnceWithOneMessageAndConnectAttemptsStayBounded() throws Exception {
        // A backoff longer than the test: every call after the first finds both addresses backing off.
        SkynetRpcProducer producer = producer("reconnectInitialDelay=60000&reconnectMaxDelay=120000");

        Exchange last = null;
        for (int i = 0; i < 50; i++) {
            last = call(producer);
            assertThat(last.getException()).isInstanceOf(SkynetRpcConnectionException.class);
        }

        assertThat(last.getException().getMessage())
                .startsWith("skynet-rpc:TestService.Echo: no service instance is reachable: ")
                .contains("cannot connect to " + addressA)
                .contains("cannot connect to " + addressB)
                .contains("next attempt in ")
                .contains("check the address option");
        assertThat(status(addressA).connectAttempts()).isEqualTo(1);
        assertThat(status(addressB).connectAttempts()).isEqualTo(1);
        assertThat(status(addressA).state()).isEqualTo("BACKING_OFF");
        assertThat(producer.getEndpoint().getStatistics().getCallsFailedAllAddressesBackingOff()).isEqualTo(49);
        HealthCheck.Result health = rpcHealth();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getMessage()).hasValueSatisfying(message -> assertThat(message)
                .contains("skynet-rpc:TestService.Echo: every service address is backing off"));
        assertThat(String.valueOf(health.getDetails().get("skynet-rpc:TestService.Echo " + addressA)))
                .startsWith("BACKING_OFF until ").contains("cannot connect to " + addressA);
    }

    @Test
    void whenTheServiceGoesAwaySoonAfterTheConnectItIsBackedOffAndTheNextCallGoesStraightToTheOtherAddress()
            throws Exception {
        context.getRouteController().startRoute("A");
        context.getRouteController().startRoute("B");
        // The default stableConnectionPeriod (10 s) is far longer than A's connection lives here.
        SkynetRpcProducer producer = producer("reconnectInitialDelay=60000&reconnectMaxDelay=120000");
        assertThat(servedBy(call(producer))).isEqualTo("A");

        context.getRouteController().stopRoute("A");
        await().atMost(Duration.ofSeconds(10)).until(() -> !status(addressA).state().equals("CONNECTED"));
        assertThat(status(addressA).state()).isEqualTo("BACKING_OFF");
        assertThat(status(addressA).lastProblem()).contains("connection to " + addressA)
                .contains("within stableConnectionPeriod=10000 ms");

        assertThat(servedBy(call(producer))).isEqualTo("B");
        assertThat(servedBy(call(producer))).isEqualTo("B");
        assertThat(status(addressA).connectAttempts()).isEqualTo(1);
        assertThat(status(addressA).connectFailures()).isEqualTo(1);
    }

    @Test
    void aConnectionThatStayedUpPastTheStablePeriodAndDroppedIsRetriedAtOnceWithoutBackoff() throws Exception {
        context.getRouteController().startRoute("A");
        long stablePeriodMillis = 200;
        SkynetRpcProducer producer = producer("stableConnectionPeriod=" + stablePeriodMillis
                + "&reconnectInitialDelay=60000&reconnectMaxDelay=120000");
        assertThat(servedBy(call(producer))).isEqualTo("A");
        long connectedBy = System.nanoTime();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> System.nanoTime() - connectedBy > Duration.ofMillis(stablePeriodMillis).toNanos());

        context.getRouteController().stopRoute("A");
        await().atMost(Duration.ofSeconds(10)).until(() -> !status(addressA).state().equals("CONNECTED"));
        assertThat(status(addressA).state()).isEqualTo("IDLE");
        assertThat(status(addressA).nextAttemptAt()).isNull();
        assertThat(status(addressA).lastProblem()).contains("connection to " + addressA)
                .doesNotContain("stableConnectionPeriod");

        // With A's 60 s backoff any failure would keep the next call off A; it reconnects to A at once instead.
        context.getRouteController().startRoute("A");
        assertThat(servedBy(call(producer))).isEqualTo("A");
        assertThat(status(addressA).connectAttempts()).isEqualTo(2);
        assertThat(status(addressA).connectFailures()).isZero();
        assertThat(status(addressB).connectAttempts()).isZero();
    }

    @Test
    void aServiceThatDropsEveryConnectionRightAfterItsHandshakeIsBackedOffLikeOneThatRefuses() throws Exception {
        try (FakeSkynetService dropping = new FakeSkynetService(peer -> {
            peer.write(RpcCodec.encode(new ServiceHandshake("TestService", true, "client-1")));
            peer.readDocument(); // the client's handshake; the script then ends and the socket closes
        })) {
            String address = dropping.address();
            SkynetRpcProducer producer = producerFor(address, "reconnectInitialDelay=60000&reconnectMaxDelay=120000");

            Exchange last = null;
            for (int i = 0; i < 50; i++) {
                last = call(producer);
                assertThat(last.getException()).isInstanceOf(SkynetRpcConnectionException.class);
            }

            // Without the stable period every call reconnected (50 attempts). Now the first loss starts the backoff;
            // a second attempt is possible only when a call races the loss of the first connection.
            RpcAddressStatus status = status(address);
            assertThat(status.connectAttempts()).isBetween(1L, 3L);
            assertThat(dropping.acceptedConnections()).isEqualTo((int) status.connectAttempts());
            assertThat(status.connectFailures()).isGreaterThanOrEqualTo(1);
            assertThat(status.state()).isEqualTo("BACKING_OFF");
            assertThat(last.getException().getMessage())
                    .startsWith("skynet-rpc:TestService.Echo: no service instance is reachable: ")
                    .contains("connection to " + address + " closed by the service")
                    .contains("within stableConnectionPeriod=10000 ms")
                    .contains("next attempt in ");
            assertThat(producer.getEndpoint().getStatistics().getCallsFailedAllAddressesBackingOff())
                    .isGreaterThanOrEqualTo(47);
            assertThat(rpcHealth().getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(dropping.scriptFailures()).isEmpty();
        }
    }
}
