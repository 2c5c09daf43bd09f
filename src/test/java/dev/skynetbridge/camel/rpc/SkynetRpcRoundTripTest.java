package dev.skynetbridge.camel.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The producer calling the consumer over real TCP on an ephemeral port, both in one Camel context. */
class SkynetRpcRoundTripTest {

    private final CountDownLatch releaseSlowCalls = new CountDownLatch(1);
    private CamelContext context;
    private ProducerTemplate template;
    private String address;
    private String unregisteredAddress;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("skynet-rpc:TestService?port=0&host=127.0.0.1&methods=Upcase,Echo,Fail,Slow,Headers")
                        .routeId("service")
                        .process(SkynetRpcRoundTripTest.this::serve);
                from("skynet-rpc:TestService?port=0&host=127.0.0.1&registered=false")
                        .routeId("unregistered")
                        .setBody(constant(Map.of("never", true)));
            }
        });
        context.start();
        template = context.createProducerTemplate();
        address = "127.0.0.1:" + portOf("service");
        unregisteredAddress = "127.0.0.1:" + portOf("unregistered");
    }

    @AfterEach
    void stop() {
        releaseSlowCalls.countDown();
        context.stop();
    }

    private int portOf(String routeId) {
        return ((SkynetRpcConsumer) context.getRoute(routeId).getConsumer()).getActualPort();
    }

    private void serve(Exchange exchange) throws Exception {
        String method = exchange.getMessage().getHeader(SkynetRpcConstants.METHOD, String.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> in = exchange.getMessage().getBody(Map.class);
        switch (method) {
            case "Upcase" -> exchange.getMessage().setBody(Map.of("data", ((String) in.get("data")).toUpperCase()));
            case "Echo" -> exchange.getMessage().setBody(in);
            case "Fail" -> throw new IllegalStateException("out of paper");
            case "Slow" -> {
                releaseSlowCalls.await(60, TimeUnit.SECONDS);
                exchange.getMessage().setBody("{\"late\":true}");
            }
            case "Headers" -> {
                Map<String, Object> headers = new LinkedHashMap<>();
                for (String name : List.of(SkynetRpcConstants.SEQ, SkynetRpcConstants.CLIENT_ID,
                        SkynetRpcConstants.REQUEST_ID, SkynetRpcConstants.SERVICE_METHOD,
                        SkynetRpcConstants.ORIGIN_ADDRESS, SkynetRpcConstants.RETRY_COUNT)) {
                    headers.put(name, exchange.getMessage().getHeader(name));
                }
                exchange.getMessage().setBody(headers);
            }
            default -> throw new IllegalStateException("unexpected method " + method);
        }
    }

    private String uri(String methodAndOptions) {
        return "skynet-rpc:TestService." + methodAndOptions + (methodAndOptions.contains("?") ? "&" : "?")
                + "address=" + address;
    }

    @Test
    void mapBodyInMapBodyOut() {
        assertThat(template.requestBody(uri("Upcase"), Map.of("data", "hello"))).isEqualTo(Map.of("data", "HELLO"));
    }

    @Test
    void jsonTextAndNestedValuesSurviveTheTrip() {
        Object reply = template.requestBody(uri("Echo"),
                "{\"s\":\"x\",\"i\":1,\"l\":10000000000,\"d\":1.5,\"b\":false,\"n\":null,\"list\":[1,\"a\"],"
                        + "\"m\":{\"k\":\"v\"}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("i", 1);
        expected.put("l", 10000000000L);
        expected.put("d", 1.5);
        expected.put("b", false);
        expected.put("n", null);
        expected.put("list", List.of(1, "a"));
        expected.put("m", Map.of("k", "v"));
        assertThat(reply).isEqualTo(expected);
    }

    @Test
    void requestMetadataReachesTheRouteAsHeaders() {
        Exchange exchange = template.request(uri("Headers"), e -> e.getMessage().setBody(Map.of()));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = exchange.getMessage().getBody(Map.class);
        assertThat(seen.get(SkynetRpcConstants.REQUEST_ID))
                .isEqualTo(exchange.getMessage().getHeader(SkynetRpcConstants.REQUEST_ID))
                .asString().matches("[0-9a-f-]{36}");
        assertThat(seen.get(SkynetRpcConstants.CLIENT_ID))
                .isEqualTo(exchange.getMessage().getHeader(SkynetRpcConstants.CLIENT_ID));
        assertThat(seen.get(SkynetRpcConstants.SEQ)).isEqualTo(exchange.getMessage().getHeader(SkynetRpcConstants.SEQ));
        assertThat(seen.get(SkynetRpcConstants.SERVICE_METHOD)).isEqualTo("TestService.Forward");
        assertThat((String) seen.get(SkynetRpcConstants.ORIGIN_ADDRESS)).contains("127.0.0.1");
        assertThat(seen.get(SkynetRpcConstants.RETRY_COUNT)).isEqualTo(0);
    }

    @Test
    void manyConcurrentCallsShareTheSmallPool() throws Exception {
        String uri = uri("Upcase?poolSize=2");
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(template.asyncRequestBody(uri, Map.of("data", "call" + i)));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(Map.of("data", "CALL" + i));
        }
        assertThat(((SkynetRpcConsumer) context.getRoute("service").getConsumer()).getConnectionCount())
                .isEqualTo(2);
    }

    @Test
    void routeExceptionBecomesErrstringAndAMethodException() {
        assertThatThrownBy(() -> template.requestBody(uri("Fail"), Map.of()))
                .isInstanceOf(CamelExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(SkynetRpcMethodException.class, e -> {
                    assertThat(e.getErrString()).isEqualTo("out of paper");
                    assertThat(e.getMethod()).isEqualTo("Fail");
                });
    }

    @Test
    void unknownMethodIsAnRpcLevelError() {
        assertThatThrownBy(() -> template.requestBody(uri("Nope"), Map.of()))
                .cause()
                .isInstanceOfSatisfying(SkynetRpcException.class,
                        e -> assertThat(e.getRpcError()).isEqualTo("No such method \"Nope\""));
    }

    @Test
    void unregisteredConsumerIsSkippedForTheNextAddress() {
        Exchange exchange = template.request("skynet-rpc:TestService.Upcase?address=" + unregisteredAddress + ","
                + address, e -> e.getMessage().setBody(Map.of("data", "x")));
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo(Map.of("data", "X"));
        assertThat(exchange.getMessage().getHeader(SkynetRpcConstants.REMOTE_ADDRESS)).isEqualTo(address);
    }

    @Test
    void noResponseWithinTimeoutIsExchangeTimedOut() {
        assertThatThrownBy(() -> template.requestBody(uri("Slow?timeout=300"), Map.of()))
                .cause()
                .isInstanceOf(ExchangeTimedOutException.class)
                .hasMessageContaining("timeout=300 ms");
        assertThat(context.getEndpoint(uri("Slow?timeout=300"), SkynetRpcEndpoint.class).getStatistics()
                .getCallsTimedOut()).isEqualTo(1);
    }

    @Test
    void callsBeyondMaxInFlightAreRejectedAndCounted() throws Exception {
        String uri = uri("Slow?poolSize=1&maxInFlight=2");
        CompletableFuture<Object> first = template.asyncRequestBody(uri, Map.of());
        CompletableFuture<Object> second = template.asyncRequestBody(uri, Map.of());
        SkynetRpcEndpoint endpoint = context.getEndpoint(uri, SkynetRpcEndpoint.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                ((SkynetRpcConsumer) context.getRoute("service").getConsumer()).getConnectionCount() == 1);

        assertThatThrownBy(() -> template.requestBody(uri, Map.of()))
                .cause()
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                .hasMessageContaining("2 calls already in flight");
        assertThat(endpoint.getStatistics().getCallsRejectedInFlightFull()).isEqualTo(1);

        releaseSlowCalls.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("late", true));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("late", true));
    }

    @Test
    void bodyThatIsNotAJsonObjectFailsNamingTheEndpoint() {
        assertThatThrownBy(() -> template.requestBody(uri("Echo"), "[1,2]"))
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("skynet-rpc:TestService.Echo")
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void misspelledOptionFailsAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("skynet-rpc:TestService.Upcase?adress=localhost:1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("adress");
        assertThatThrownBy(() -> context.getEndpoint("skynet-rpc:TestService.Upcase?address=localhost"))
                .hasRootCauseMessage("address entry 'localhost' is not host:port");
    }
}
