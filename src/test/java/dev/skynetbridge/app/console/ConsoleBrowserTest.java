package dev.skynetbridge.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.HeadlessChromium;
import dev.skynetbridge.testsupport.MosquittoBroker;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless Chromium against a real gateway (real v2 websocket clients, the default MQTT bridge
 * to a real Mosquitto), in one browser session since each Chromium start costs seconds. Takes the README's screenshot
 * (target/console*.png; copied to docs/ with -Dskynet.docs.update=true).
 */
class ConsoleBrowserTest {

    private static final String TOKEN = "console-test-token";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MQTT_BRIDGE = """
            - templatedRoute:
                routeTemplateRef: skynet-mqtt-bridge
                routeId: default-to-mqtt
                parameters:
                  - name: bridgeId
                    value: default
            """;

    private MosquittoBroker mosquitto;
    private GatewayUnderTest gateway;
    private Vertx vertx;
    private HeadlessChromium chromium;
    private int port;

    @BeforeEach
    void start() {
        HeadlessChromium.assumeAvailable();
        MosquittoBroker.assumeAvailable();
        mosquitto = new MosquittoBroker();
        mosquitto.start();
        port = FreePorts.pick();
        gateway = GatewayUnderTest.start(Map.of("mqtt-bridge", MQTT_BRIDGE), Map.of(
                "camel.management.enabled", "true",
                "skynet.management.port", String.valueOf(port),
                "skynet.management.token", TOKEN,
                "skynet.cluster.node-id", "attic-gateway",
                "skynet.mqtt.url", mosquitto.serverUri()));
        vertx = Vertx.vertx();
        chromium = HeadlessChromium.start(1280, 900);
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void theConsoleShowsTrafficClientsAndBridgesLiveAndSendsMessages() throws Exception {
        WebDriver page = chromium.driver();
        String console = "http://127.0.0.1:" + port + "/";

        // No token, then a wrong one: the login form each time, saying which.
        page.get(console);
        assertThat(page.findElement(By.id("refusal")).getText()).startsWith("A token is required");
        login(page, "not-the-token");
        assertThat(page.findElement(By.id("refusal")).getText()).startsWith("Wrong token");
        chromium.takeErrors(); // the 401 answers themselves are logged by Chromium as failed loads
        login(page, TOKEN);
        await().atMost(WAIT).until(() -> page.findElement(By.id("link")).getText().equals("live"));
        // The header names the gateway (behind a load balancer: which node's page this is); no cluster here.
        await().atMost(WAIT).until(() -> page.findElement(By.id("node-id")).getText().equals("attic-gateway"));
        assertThat(page.findElement(By.id("cluster")).getText()).isEmpty();
        // The cluster tab says how to join one.
        tab(page, "cluster");
        await().atMost(WAIT).until(() -> page.findElement(By.id("cluster-note")).getText()
                .startsWith("Not in a cluster: set skynet.cluster.nats-url"));
        assertThat(page.findElement(By.id("nodes")).isDisplayed()).isFalse();

        try (RawWebSocket numeric = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
             RawWebSocket named = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
            numeric.sendBinary(V2Codec.encodeOpen(Channel.of(7)));
            named.sendBinary(V2Codec.encodeOpen(Channel.of("7")));

            // The clients view: both websocket clients, with their channels.
            tab(page, "clients");
            await().atMost(WAIT).until(() -> v2Clients(page) == 2);
            assertThat(clientRows(page)).anyMatch(row -> row.contains("in-process route"));

            // A message a real v2 client sends shows in the traffic view, newest first.
            try (RawWebSocket sender = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/")) {
                sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), Map.of("temp", 21.5))));
                sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of("door"), "open")));
                tab(page, "traffic");
                await().atMost(WAIT).until(() -> trafficRows(page).size() >= 2);
                List<String> rows = trafficRows(page);
                assertThat(rows.get(0)).contains("\"door\"").contains("\"open\"");
                assertThat(rows.get(1)).contains("42").contains("{\"temp\":21.5}");
                // Filter by channel: a number matches the numeric channel only.
                page.findElement(By.id("filter-channel")).sendKeys("42");
                assertThat(trafficRows(page)).hasSize(1).first().asString().contains("temp");
                page.findElement(By.id("filter-channel")).clear();
                page.findElement(By.id("filter-channel")).sendKeys("\"door\"");
                assertThat(trafficRows(page)).hasSize(1).first().asString().contains("open");
                page.findElement(By.id("filter-channel")).clear();
                page.findElement(By.id("filter-channel")).sendKeys(" ");
                assertThat(trafficRows(page)).hasSizeGreaterThanOrEqualTo(2);
                // A client that disconnects leaves the clients view.
                tab(page, "clients");
                await().atMost(WAIT).until(() -> v2Clients(page) == 3);
            }
            await().atMost(WAIT).until(() -> v2Clients(page) == 2);

            // The send box: numeric 7 reaches the client on 7 only, the name "7" the other only.
            sendFromPage(page, "number", "7", "{\"x\": 1}");
            assertThat(pushOn(numeric)).isEqualTo(SkynetMessage.of(Channel.of(7), Map.of("x", 1L)).payload());
            sendFromPage(page, "string", "7", "[true]");
            assertThat(pushOn(named)).isEqualTo(List.of(true));
            assertThat(numeric.poll(500)).as("the numeric client must not get the string channel's message").isNull();

            tab(page, "traffic");
            chromium.screenshot(Path.of("target/console.png"));
            chromium.resize(412, 860);
            assertThat((Long) chromium.driver().executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth")).as("no sideways scrolling on a phone")
                    .isLessThanOrEqualTo(0L);
            chromium.screenshot(Path.of("target/console-phone.png"));
            chromium.resize(1280, 900);

            // The disconnect button closes the client's websocket.
            tab(page, "clients");
            String namedId = attribute(page, "#clients tbody tr", "\"7\"", "data-id");
            click(page, "#clients tr[data-id='" + namedId + "'] button.disconnect");
            assertThat(named.awaitClose()).isEqualTo((short) 1000);
            await().atMost(WAIT).until(() -> texts(page, "#clients tr[data-id='" + namedId + "']").isEmpty());
        }

        // The MQTT bridge: connected, DOWN while Mosquitto is stopped, connected again when it is back.
        tab(page, "bridges");
        await().atMost(WAIT).until(() -> bridgeState(page, "default-to-mqtt").equals("CONNECTED"));
        mosquitto.stop();
        await().atMost(WAIT).until(() -> bridgeState(page, "default-to-mqtt").equals("DOWN"));
        chromium.screenshot(Path.of("target/console-bridges-down.png"));
        mosquitto.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> bridgeState(page, "default-to-mqtt").equals("CONNECTED"));

        assertThat(chromium.takeErrors()).as("console errors and uncaught exceptions on the page").isEmpty();
        if (Boolean.getBoolean("skynet.docs.update")) {
            Files.copy(Path.of("target/console.png"), Path.of("docs/console.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(Path.of("target/console-phone.png"), Path.of("docs/console-phone.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void scriptsWithoutTheRightTokenAreRefusedAndHealthStaysOpen() throws Exception {
        HttpClient http = dev.skynetbridge.testsupport.TestHttp.client();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/api/clients")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("A token is required").contains("Authorization: Bearer");
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/api/clients"))
                .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong token");
        HttpResponse<String> right = http.send(HttpRequest.newBuilder(URI.create(base + "/api/clients"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).startsWith("[");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("health needs no token: %s", health.body()).isIn(200, 503);
    }

    private static void login(WebDriver page, String token) {
        WebElement field = page.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        field.submit();
    }

    private static void tab(WebDriver page, String name) {
        page.findElement(By.cssSelector("nav button[data-tab='" + name + "']")).click();
    }

    /**
     * The text of each element matching {@code css}, read in one script call: the views are redrawn every second, so
     * element handles kept between two calls go stale.
     */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver page, String css) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(
                "return [...document.querySelectorAll(arguments[0])].filter(e => !e.hidden).map(e => e.innerText)", css);
    }

    private static List<String> clientRows(WebDriver page) {
        return texts(page, "#clients tbody tr");
    }

    private static List<String> trafficRows(WebDriver page) {
        return texts(page, "#traffic tbody tr");
    }

    private static long v2Clients(WebDriver page) {
        return clientRows(page).stream().filter(row -> row.contains("v2")).count();
    }

    private static String bridgeState(WebDriver page, String route) {
        List<String> states = texts(page, ".bridge[data-route='" + route + "'] .state");
        return states.isEmpty() ? "" : states.get(0);
    }

    private static void click(WebDriver page, String css) {
        ((JavascriptExecutor) page).executeScript("document.querySelector(arguments[0]).click()", css);
    }

    private static String attribute(WebDriver page, String css, String text, String name) {
        return (String) ((JavascriptExecutor) page).executeScript("return [...document.querySelectorAll(arguments[0])]"
                + ".find(e => e.innerText.includes(arguments[1])).getAttribute(arguments[2])", css, text, name);
    }

    private static void sendFromPage(WebDriver page, String kind, String channel, String payload) {
        tab(page, "send");
        page.findElement(By.cssSelector("input[name=kind][value=" + kind + "]")).click();
        WebElement channelField = page.findElement(By.id("send-channel"));
        channelField.clear();
        channelField.sendKeys(channel);
        WebElement payloadField = page.findElement(By.id("send-payload"));
        payloadField.clear();
        payloadField.sendKeys(payload);
        ((JavascriptExecutor) page).executeScript("document.getElementById('send-result').textContent = ''");
        page.findElement(By.id("send-button")).click();
        await().atMost(WAIT).until(() -> !page.findElement(By.id("send-result")).getText().isEmpty());
        String expected = kind.equals("number") ? "sent to " + channel : "sent to \"" + channel + "\"";
        assertThat(page.findElement(By.id("send-result")).getText()).startsWith(expected);
    }

    /** The payload of the next push the client receives. */
    private static Object pushOn(RawWebSocket client) throws Exception {
        V2ServerFrame frame = V2Codec.decodeServerFrame(client.next().bytes());
        assertThat(frame).isInstanceOf(V2ServerFrame.Push.class);
        return ((V2ServerFrame.Push) frame).message().payload();
    }
}
