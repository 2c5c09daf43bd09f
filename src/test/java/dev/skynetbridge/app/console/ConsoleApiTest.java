package dev.skynetbridge.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's JSON API over real HTTP against a real gateway, with real v2 websocket clients. */
class ConsoleApiTest {

    private static final String ROUTES = """
            - route:
                id: lamp
                from:
                  uri: "skynet:lamp"
                  steps:
                    - log: "lamp ${body}"
            - route:
                id: broken
                from:
                  uri: "skynet:broken"
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: "the lamp is on fire"
            """;

    private final HttpClient http = dev.skynetbridge.testsupport.TestHttp.client();
    private final Vertx vertx = Vertx.vertx();
    private GatewayUnderTest gateway;
    private int port;

    @AfterEach
    void stop() {
        vertx.close();
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(Map<String, String> settings) {
        port = FreePorts.pick();
        java.util.Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("camel.management.enabled", "true");
        all.put("skynet.management.port", String.valueOf(port));
        gateway = GatewayUnderTest.start(Map.of("routes", ROUTES), all);
    }

    @Test
    void clientsChannelsTrafficBridgesAndSendAsJson() throws Exception {
        start(Map.of());
        assertThat(get("/api/traffic").statusCode()).isEqualTo(200); // a script's first read starts the recording
        long next = ((Number) json(get("/api/traffic")).get("next")).longValue();
        try (RawWebSocket listener = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
             RawWebSocket sender = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            listener.sendBinary(V2Codec.encodeOpen(Channel.of(5)));
            await().until(() -> gateway.application().services().hub().subscriberCount(Channel.of(5)) == 1);
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(5), "one")));
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(5), Map.of("two", 2L))));
            listener.next();
            listener.next();

            List<Map<String, Object>> clients = list(get("/api/clients"));
            Map<String, Object> listening = clients.stream()
                    .filter(c -> c.get("channels").toString().contains("n:5")).findFirst().orElseThrow();
            assertThat(listening).containsEntry("protocol", "v2").containsEntry("messagesOut", 2L)
                    .containsEntry("messagesIn", 0L).containsEntry("queueDepth", 0L).containsEntry("dropped", 0L);
            assertThat((String) listening.get("address")).startsWith("127.0.0.1:");
            assertThat(clients).anyMatch(c -> c.get("messagesIn").equals(2L) && c.get("protocol").equals("v2"));
            assertThat(clients).anyMatch(c -> c.get("protocol").equals("route")
                                              && c.get("address").toString().contains("skynet://lamp"));

            Map<String, Object> traffic = json(get("/api/traffic?after=" + next + "&channel=n:5"));
            assertThat((List<?>) traffic.get("entries")).hasSize(2);
            Map<?, ?> second = (Map<?, ?>) ((List<?>) traffic.get("entries")).get(1);
            assertThat(second.get("payload")).isEqualTo(Map.of("two", 2L));
            assertThat(second.get("channel")).isEqualTo(Map.of("type", "number", "value", 5L, "canonical", "n:5"));
            assertThat(((Map<?, ?>) second.get("sender")).get("address").toString()).startsWith("127.0.0.1:");
            assertThat(second.get("recipients")).isEqualTo(1L);
            assertThat((List<?>) json(get("/api/traffic?after=" + next + "&q=TWO")).get("entries")).hasSize(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> list(get("/api/channels")).stream()
                    .anyMatch(c -> c.get("canonical").equals("n:5") && c.get("subscribers").equals(1L)
                                   && c.get("messages").equals(2L)));

            // The send box's API: the string "5" is not the number 5.
            HttpResponse<String> sentToName = post("/api/send", "{\"channel\": \"5\", \"payload\": \"name\"}");
            assertThat(sentToName.statusCode()).isEqualTo(202);
            assertThat(listener.poll(500)).as("a client on numeric 5 must not get string \"5\"").isNull();
            HttpResponse<String> sent = post("/api/send", "{\"channel\": 5, \"payload\": {\"on\": true}}");
            assertThat(sent.statusCode()).isEqualTo(202);
            V2ServerFrame push = V2Codec.decodeServerFrame(listener.next().bytes());
            assertThat(((V2ServerFrame.Push) push).message().payload()).isEqualTo(Map.of("on", true));
            HttpResponse<String> bad = post("/api/send", "{\"channel\": 5.5, \"payload\": 1}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).get("error").toString()).contains("whole number");

            // Disconnect: a websocket client closes; an in-process route cannot be disconnected from here.
            long senderId = clients.stream().filter(c -> c.get("messagesIn").equals(2L)).findFirst()
                    .map(c -> (Long) c.get("id")).orElseThrow();
            assertThat(post("/api/clients/" + senderId + "/disconnect", "").statusCode()).isEqualTo(202);
            assertThat(sender.awaitClose()).isEqualTo((short) 1000);
            long routeId = clients.stream().filter(c -> c.get("protocol").equals("route")).findFirst()
                    .map(c -> (Long) c.get("id")).orElseThrow();
            HttpResponse<String> route = post("/api/clients/" + routeId + "/disconnect", "");
            assertThat(route.statusCode()).isEqualTo(409);
            assertThat(json(route).get("error").toString()).contains("stop its route");
            assertThat(post("/api/clients/999999/disconnect", "").statusCode()).isEqualTo(404);
        }

        // Bridges: each route's state, its exchanges and its last error.
        post("/api/send", "{\"channel\": \"lamp\", \"payload\": 1}");
        post("/api/send", "{\"channel\": \"broken\", \"payload\": 1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> bridge("broken").get("lastError") != null
                && ((Map<?, ?>) bridge("lamp").get("exchanges")).get("completed").equals(1L));
        Map<String, Object> broken = bridge("broken");
        assertThat(broken.get("lastError").toString()).contains("the lamp is on fire");
        assertThat(((Map<?, ?>) broken.get("exchanges")).get("failed")).isEqualTo(1L);
        assertThat(bridge("lamp")).containsEntry("state", "connected").containsEntry("routeStatus", "Started");
        gateway.context().getRouteController().stopRoute("lamp");
        assertThat(bridge("lamp")).containsEntry("state", "down").containsEntry("reason", "route stopped");

        HttpResponse<String> unknown = get("/api/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").toString()).contains("docs/console.md");
    }

    @Test
    void withoutAClusterTheOverviewNamesTheNodeAndSaysTheClusterIsOff() throws Exception {
        start(Map.of("skynet.cluster.node-id", "attic"));
        assertThat(json(get("/api/overview")).get("node")).isEqualTo(Map.of("id", "attic", "cluster", "off"));
        Map<?, ?> cluster = json(get("/api/cluster"));
        assertThat(cluster.get("cluster")).isEqualTo("off");
        assertThat(cluster.get("join").toString()).contains("skynet.cluster.nats-url")
                .contains("skynet.cluster.node-id");
        long next = ((Number) json(get("/api/traffic")).get("next")).longValue(); // starts the recording
        post("/api/send", "{\"channel\": 5, \"payload\": 1}");
        Map<?, ?> entry = (Map<?, ?>) ((List<?>) json(get("/api/traffic?after=" + next)).get("entries")).get(0);
        assertThat(entry.get("enteredOn")).as("entered on this gateway").isNull();
    }

    @Test
    void inAClusterTheOverviewShowsTheLinkAndTrafficFromAnotherNodeNamesTheNodeItEnteredOn() throws Exception {
        NatsServer.assumeAvailable();
        try (NatsServer nats = NatsServer.single().start()) {
            port = FreePorts.pick();
            gateway = GatewayCluster.startNode(1, nats.url(), Map.of(), Map.of("camel.management.enabled", "true",
                    "skynet.management.port", String.valueOf(port)));
            try (GatewayUnderTest other = GatewayCluster.startNode(2, nats.url(), Map.of(), Map.of())) {
                var link = gateway.application().services().clusterLink();
                await().atMost(Duration.ofSeconds(30)).until(link::isConnected);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> other.application().services().clusterLink().isConnected());
                assertThat(get("/api/traffic").statusCode()).isEqualTo(200); // starts the recording
                try (RawWebSocket listener = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
                     RawWebSocket sender = RawWebSocket.connect(vertx, other.skynetPort(), "/connect/")) {
                    GatewayCluster.open(listener, false, Channel.of(5));
                    GatewayCluster.warmUp(sender, Channel.of(5), listener);
                    long next = ((Number) json(get("/api/traffic")).get("next")).longValue();
                    GatewayCluster.sendV2(sender, SkynetMessage.of(Channel.of(5), "from node 2"));
                    assertThat(GatewayCluster.messageOf(listener.next()).payload()).isEqualTo("from node 2");

                    Map<?, ?> entry = (Map<?, ?>) ((List<?>) json(get("/api/traffic?after=" + next)).get("entries"))
                            .get(0);
                    assertThat(entry.get("payload")).isEqualTo("from node 2");
                    assertThat(entry.get("enteredOn")).isEqualTo("node-2");
                    assertThat(entry.get("sender")).as("no participant of node 1 sent it").isNull();
                    assertThat(entry.get("recipients")).isEqualTo(1L);
                    assertThat((List<?>) json(get("/api/traffic?after=" + next + "&q=NODE-2")).get("entries"))
                            .hasSize(1);
                }
                // The cluster view: this node and node 2 (whose client sent), as node 2 announced itself.
                await().atMost(Duration.ofSeconds(30)).until(() -> clusterNode("node-2") != null
                        && ((Long) clusterNode("node-2").get("sent")) >= 2L);
                Map<?, ?> cluster = json(get("/api/cluster"));
                assertThat(cluster.get("cluster")).isEqualTo("UP");
                assertThat(cluster.get("peersUp")).isEqualTo(1L);
                assertThat(cluster.get("duplicateNodeIds")).isEqualTo(List.of());
                Map<?, ?> self = clusterNode("node-1");
                assertThat(self.get("state")).isEqualTo("self");
                assertThat(self.get("lastSeen")).isNull();
                Map<?, ?> peer = clusterNode("node-2");
                assertThat(peer.get("state")).isEqualTo("up");
                assertThat(peer.get("nats").toString()).contains(String.valueOf(nats.port()));
                assertThat(peer.get("lastSeen")).isNotNull();
                assertThat(peer.get("instance").toString()).matches("[0-9a-f]{1,16}");

                Map<?, ?> node = (Map<?, ?>) json(get("/api/overview")).get("node");
                assertThat(node.get("id")).isEqualTo("node-1");
                assertThat(node.get("cluster")).isEqualTo("UP");
                assertThat(node.get("nats").toString()).contains(String.valueOf(nats.port()));
                assertThat((Long) node.get("received")).isGreaterThanOrEqualTo(2L); // warm-up markers and the message
                assertThat((Long) json(get("/api/overview")).get("messagesFromCluster")).isGreaterThanOrEqualTo(2L);

                nats.stop();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        ((Map<?, ?>) json(get("/api/overview")).get("node")).get("cluster").equals("DOWN"));
            }
        }
    }

    /** The row of /api/cluster for a node id, or null. */
    private Map<?, ?> clusterNode(String id) throws Exception {
        for (Object row : (List<?>) json(get("/api/cluster")).get("nodes")) {
            if (((Map<?, ?>) row).get("id").equals(id)) {
                return (Map<?, ?>) row;
            }
        }
        return null;
    }

    @Test
    void aV1ClientShowsAsV1AndTheLiveStreamIsBoundedInViewers() throws Exception {
        start(Map.of());
        try (RawWebSocket v1 = RawWebSocket.connect(vertx, gateway.skynetPort(), "/v1/connect")) {
            v1.sendText("{\"type\":\"open\",\"channel\":\"door\"}");
            v1.next();
            assertThat(list(get("/api/clients"))).anyMatch(c -> c.get("protocol").equals("v1")
                    && c.get("channels").toString().contains("s:door"));
        }
        List<HttpResponse<java.io.InputStream>> streams = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < ConsoleStream.MAX_VIEWERS; i++) {
                HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/events")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(stream.statusCode()).isEqualTo(200);
                streams.add(stream);
            }
            HttpResponse<String> refused = get("/api/events");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(json(refused).get("error").toString()).contains("Too many console viewers");
            assertThat(((Map<?, ?>) json(get("/api/overview")).get("console")).get("viewers"))
                    .isEqualTo((long) ConsoleStream.MAX_VIEWERS);
        } finally {
            for (var stream : streams) {
                stream.body().close();
            }
        }
    }

    @Test
    void aBridgesMetersFromCamelsMeterRegistryAppearOnItsCardAndQueuedMessagesMeanBuffering() throws Exception {
        start(Map.of());
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        gateway.context().getRegistry().bind("meters", io.micrometer.core.instrument.MeterRegistry.class, registry);
        registry.counter("skynet.bridge.received", "bridge", "lamp", "kind", "mqtt").increment(7);
        registry.counter("skynet.bridge.dead.lettered", "bridge", "lamp", "kind", "mqtt").increment(1);
        java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong(3);
        registry.gauge("skynet.bridge.queued", java.util.List.of(io.micrometer.core.instrument.Tag.of("bridge", "lamp")),
                queued);
        registry.counter("skynet.bridge.received", "bridge", "broken", "kind", "mqtt").increment(2);
        Map<String, Object> lamp = bridge("lamp");
        assertThat(meters(lamp)).containsEntry("received", 7L).containsEntry("dead_lettered", 1L)
                .containsEntry("queued", 3L);
        assertThat(lamp).containsEntry("state", "buffering").containsEntry("reason", "messages waiting: 3");
        queued.set(0);
        assertThat(bridge("lamp")).containsEntry("state", "connected");
        assertThat(meters(bridge("broken"))).containsOnlyKeys("received");
    }

    @Test
    void onANonLoopbackAddressWithoutATokenTheConsoleIsOffButHealthIsNot() throws Exception {
        start(Map.of("skynet.management.host", "0.0.0.0"));
        HttpResponse<String> refused = get("/api/overview");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).get("error").toString()).contains("The console is off")
                .contains("skynet.management.token");
        assertThat(get("/").statusCode()).isEqualTo(401);
        assertThat(get("/observe/health").statusCode()).isEqualTo(200);
    }

    @Test
    void withObserveTokenRequiredHealthAndMetricsNeedTheTokenToo() throws Exception {
        start(Map.of("skynet.management.token", "observe-secret", "skynet.management.observe-token-required", "true"));
        for (String path : List.of("/observe/health", "/observe/metrics")) {
            HttpResponse<String> missing = get(path);
            assertThat(missing.statusCode()).as(path).isEqualTo(401);
            assertThat(json(missing).get("error").toString()).startsWith("A token is required")
                    .contains("skynet.management.observe-token-required");
            assertThat(get(path, "Bearer wrong").statusCode()).as(path).isEqualTo(401);
            assertThat(json(get(path, "Bearer wrong")).get("error").toString()).startsWith("Wrong token");
            HttpResponse<String> allowed = get(path, "Bearer observe-secret");
            assertThat(allowed.statusCode()).as("%s: %s", path, allowed.body()).isEqualTo(200);
        }
        assertThat(get("/observe/metrics", "Bearer observe-secret").body()).contains("skynet_");
        assertThat(get("/api/overview", "Bearer observe-secret").statusCode()).isEqualTo(200);
    }

    @Test
    void observeTokenRequiredWithoutATokenIsAStartUpErrorNamingBothSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> start(Map.of("skynet.management.observe-token-required", "true")))
                .hasStackTraceContaining("skynet.management.observe-token-required")
                .hasStackTraceContaining("skynet.management.token (env SKYNET_MANAGEMENT_TOKEN) is empty");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meters(Map<String, Object> bridge) {
        return (Map<String, Object>) bridge.get("meters");
    }

    private Map<String, Object> bridge(String route) throws Exception {
        return list(get("/api/bridges")).stream().filter(b -> b.get("route").equals(route)).findFirst().orElseThrow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return (Map<String, Object>) JsonValues.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(HttpResponse<String> response) {
        try {
            return (List<Map<String, Object>>) JsonValues.parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
