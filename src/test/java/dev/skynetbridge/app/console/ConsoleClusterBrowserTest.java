package dev.skynetbridge.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.testsupport.FreePorts;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.HeadlessChromium;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
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

/**
 * The console's Cluster tab in a real headless Chromium: one gateway's page in a cluster of two on a real
 * nats-server lists the other gateway, live, and drops it when it stops. Screenshot: target/console-cluster.png
 * (copied to docs/ with -Dskynet.docs.update=true).
 */
class ConsoleClusterBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private NatsServer nats;
    private GatewayUnderTest first;
    private GatewayUnderTest second;
    private HeadlessChromium chromium;
    private final Vertx vertx = Vertx.vertx();
    private int port;

    @BeforeEach
    void start() {
        HeadlessChromium.assumeAvailable();
        NatsServer.assumeAvailable();
        nats = NatsServer.single().start();
        port = FreePorts.pick();
        Map<String, String> fast = Map.of("skynet.cluster.announce-interval-ms", "500");
        first = GatewayCluster.startNode(1, nats.url(), Map.of(), Map.of("camel.management.enabled", "true",
                "skynet.management.port", String.valueOf(port), "skynet.cluster.announce-interval-ms", "500"));
        second = GatewayCluster.startNode(2, nats.url(), Map.of(), fast);
        chromium = HeadlessChromium.start(1280, 700);
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        vertx.close();
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void oneGatewaysConsoleListsTheOtherLiveAndDropsItWhenItStops() throws Exception {
        WebDriver page = chromium.driver();
        page.get("http://127.0.0.1:" + port + "/");
        await().atMost(WAIT).until(() -> page.findElement(By.id("link")).getText().equals("live"));
        page.findElement(By.cssSelector("nav button[data-tab='cluster']")).click();

        await().atMost(WAIT).until(() -> row(page, "node-2").contains("up")
                && text(page, "#cluster-note").startsWith("2 nodes: 2 up"));
        assertThat(row(page, "node-1")).contains("this node");

        // A client on node 2 shows in node 1's page with the next announcement.
        try (RawWebSocket client = RawWebSocket.connect(vertx, second.skynetPort(), "/connect/")) {
            client.sendBinary(V2Codec.encodeOpen(Channel.of(42)));
            await().atMost(WAIT).until(() -> row(page, "node-2").contains("1 (v1 0, v2 1)"));
            chromium.screenshot(Path.of("target/console-cluster.png"));
            chromium.resize(412, 860);
            assertThat((Long) ((JavascriptExecutor) page).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth"))
                    .as("no sideways scrolling on a phone").isLessThanOrEqualTo(0L);
            chromium.resize(1280, 700);
        }

        second.close();
        second = null;
        await().atMost(WAIT).until(() -> row(page, "node-2").isEmpty());
        assertThat(text(page, "#cluster-note")).startsWith("1 node: 1 up");
        assertThat(chromium.takeErrors()).as("console errors and uncaught exceptions on the page").isEmpty();
        if (Boolean.getBoolean("skynet.docs.update")) {
            Files.copy(Path.of("target/console-cluster.png"), Path.of("docs/console-cluster.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The text of the node's row in the cluster table, empty when it has none. */
    @SuppressWarnings("unchecked")
    private static String row(WebDriver page, String node) {
        List<String> rows = (List<String>) ((JavascriptExecutor) page).executeScript(
                "return [...document.querySelectorAll('#nodes tbody tr')].filter(r => r.dataset.node === arguments[0])"
                + ".map(r => r.innerText)", node);
        return rows.isEmpty() ? "" : rows.get(0);
    }

    private static String text(WebDriver page, String css) {
        return (String) ((JavascriptExecutor) page).executeScript(
                "return document.querySelector(arguments[0]).textContent", css);
    }
}
