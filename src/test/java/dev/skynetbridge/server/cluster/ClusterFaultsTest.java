package dev.skynetbridge.server.cluster;

import static dev.skynetbridge.testsupport.GatewayCluster.messageOf;
import static dev.skynetbridge.testsupport.GatewayCluster.open;
import static dev.skynetbridge.testsupport.GatewayCluster.sendV2;
import static dev.skynetbridge.testsupport.GatewayCluster.warmUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NATS down at start, NATS lost under traffic, a gateway stopped under traffic: real nats-server, real clients. */
class ClusterFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private NatsServer nats;
    private GatewayCluster cluster;

    @BeforeEach
    void natsServer() {
        NatsServer.assumeAvailable();
        LogCapture.install();
        nats = NatsServer.single();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        nats.close();
    }

    private static HealthCheck.State health(GatewayUnderTest node) {
        HealthCheck check = HealthCheckRegistry.get(node.context()).getCheck("skynet-cluster").orElseThrow();
        return check.call().getState();
    }

    @Test
    void withNatsDownAtStartTheGatewaysStartServeTheirOwnClientsAndJoinWhenNatsComesUp() {
        cluster = new GatewayCluster(List.of(nats.url(), nats.url()), Map.of(), Map.of());
        Channel ch = Channel.of(1);
        RawWebSocket sender = cluster.v2(1);
        RawWebSocket local = cluster.v2(1);
        open(local, false, ch);
        await().atMost(WAIT).until(() -> cluster.node(1).application().services().hub().subscriberCount(ch) == 1);
        sendV2(sender, SkynetMessage.of(ch, "while NATS is down"));
        assertThat(messageOf(local.next()).payload()).isEqualTo("while NATS is down");
        assertThat(health(cluster.node(1))).isEqualTo(HealthCheck.State.DOWN);
        assertThat(cluster.link(1).metrics().buffered()).as("kept for the other nodes").isEqualTo(1);

        nats.start();
        cluster.awaitConnected();
        await().atMost(WAIT).until(() -> health(cluster.node(1)) == HealthCheck.State.UP
                && health(cluster.node(2)) == HealthCheck.State.UP);
        assertThat(cluster.link(1).metrics().buffered()).isZero();
        RawWebSocket remote = cluster.v2(2);
        open(remote, false, ch);
        warmUp(cluster.v2(1), ch, remote, local);
        sendV2(sender, SkynetMessage.of(ch, "across"));
        assertThat(messageOf(remote.next()).payload()).isEqualTo("across");
        assertThat(messageOf(local.next()).payload()).isEqualTo("across");
    }

    @Test
    void losingNatsUnderTrafficKeepsLocalDeliveryBuffersBoundedCountsDropsAndRecovers() {
        nats.start();
        cluster = new GatewayCluster(List.of(nats.url(), nats.url()),
                Map.of(), Map.of("skynet.cluster.buffer-bytes", "4096"));
        cluster.awaitConnected();
        Channel ch = Channel.of(11);
        RawWebSocket sender = cluster.v2(1);
        RawWebSocket local = cluster.v2(1);
        RawWebSocket remote = cluster.v2(2);
        open(local, false, ch);
        open(remote, false, ch);
        warmUp(cluster.v2(1), ch, local, remote);

        int number = 0;
        for (; number < 100; number++) {
            sendV2(sender, SkynetMessage.of(ch, (long) number));
        }
        List<Long> remoteGot = new ArrayList<>();
        readNumbers(remote, 100, remoteGot);
        readNumbers(local, 100, new ArrayList<>());

        int logBefore = LogCapture.lines().size();
        nats.stop();
        await().atMost(WAIT).until(() -> !cluster.link(1).isConnected() && !cluster.link(2).isConnected());
        assertThat(health(cluster.node(1))).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health(cluster.node(2))).isEqualTo(HealthCheck.State.DOWN);
        for (; number < 600; number++) {
            sendV2(sender, SkynetMessage.of(ch, (long) number));
        }
        List<Long> localGot = new ArrayList<>();
        readNumbers(local, 500, localGot);
        assertThat(localGot).as("local delivery goes on without NATS").hasSize(500).doesNotHaveDuplicates();
        ClusterMetrics metrics = cluster.link(1).metrics();
        assertThat(metrics.bufferedBytes()).isPositive().isLessThanOrEqualTo(4096);
        assertThat(metrics.dropped()).as("past 4096 bytes, counted").isPositive();
        assertThat(metrics.buffered() + metrics.dropped()).isEqualTo(500);
        List<String> log = LogCapture.lines();
        assertThat(log.subList(Math.min(logBefore, log.size()), log.size()))
                .filteredOn(line -> line.startsWith("WARN") && line.contains("node-1: messages for the other nodes were dropped"))
                .as("a rate-limited WARN, not one per message").hasSizeBetween(1, 3);
        long buffered = metrics.buffered();
        long sentBefore = metrics.sent();

        nats.start();
        cluster.awaitConnected();
        await().atMost(WAIT).until(() -> metrics.buffered() == 0);
        assertThat(metrics.sent() - sentBefore).as("the buffer went to NATS").isGreaterThanOrEqualTo(buffered);
        assertThat(metrics.reconnects()).isPositive();
        await().atMost(WAIT).until(() -> health(cluster.node(1)) == HealthCheck.State.UP
                && health(cluster.node(2)) == HealthCheck.State.UP);
        // Node 2's subscription is restored by the reconnect: new messages reach it again, in order.
        warmUp(cluster.v2(1), ch, remote, local);
        for (; number < 700; number++) {
            sendV2(sender, SkynetMessage.of(ch, (long) number));
        }
        readNumbers(local, 100, new ArrayList<>());
        List<Long> after = new ArrayList<>();
        readNumbersUpTo(remote, 699, after);
        assertThat(after).as("what reached node 2 around the outage: in order, no copies").isSorted()
                .doesNotHaveDuplicates();
        assertThat(after.subList(after.size() - 100, after.size())).first().isEqualTo(600L);
    }

    @Test
    void stoppingOneGatewayUnderTrafficCostsTheOthersNothingOfTheirClientsTraffic() throws Exception {
        nats.start();
        cluster = new GatewayCluster(List.of(nats.url(), nats.url(), nats.url()), Map.of(), Map.of());
        cluster.awaitConnected();
        Channel ch = Channel.of(21);
        RawWebSocket senderOn2 = cluster.v2(2);
        RawWebSocket senderOn1 = cluster.v2(1);
        RawWebSocket on2 = cluster.v2(2);
        RawWebSocket on3 = cluster.v2(3);
        RawWebSocket on1 = cluster.v2(1);
        for (RawWebSocket socket : List.of(on1, on2, on3)) {
            open(socket, false, ch);
        }
        warmUp(cluster.v2(2), ch, on1, on2, on3);

        int count = 3_000;
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean node1Traffic = new AtomicBoolean(true);
        Thread node1Sender = new Thread(() -> {
            for (long i = 0; node1Traffic.get(); i++) {
                try {
                    sendV2(senderOn1, SkynetMessage.of(ch, "from node 1 " + i));
                } catch (RuntimeException closed) {
                    return;
                }
            }
        });
        node1Sender.start();
        Thread sender = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                sendV2(senderOn2, SkynetMessage.of(ch, (long) i));
                sent.incrementAndGet();
            }
        });
        sender.start();
        await().atMost(WAIT).until(() -> sent.get() > count / 3);
        node1Traffic.set(false);
        cluster.stopNode(1);
        sender.join(WAIT.toMillis());
        node1Sender.join(WAIT.toMillis());

        for (RawWebSocket receiver : List.of(on2, on3)) {
            List<Long> got = new ArrayList<>();
            readNumbers(receiver, count, got);
            assertThat(got).as("node 2's client traffic on nodes 2 and 3").hasSize(count).isSorted()
                    .doesNotHaveDuplicates();
        }
        assertThat(cluster.link(2).isConnected()).isTrue();
        assertThat(cluster.link(3).isConnected()).isTrue();
    }

    /** Reads frames until {@code count} numbers (skipping text markers and other senders) are in {@code into}. */
    private static void readNumbers(RawWebSocket socket, int count, List<Long> into) {
        while (into.size() < count) {
            Object payload = messageOf(socket.next()).payload();
            if (payload instanceof Long number) {
                into.add(number);
            }
        }
    }

    /** Reads numbers until {@code last} arrives. */
    private static void readNumbersUpTo(RawWebSocket socket, long last, List<Long> into) {
        while (into.isEmpty() || into.get(into.size() - 1) != last) {
            Object payload = messageOf(socket.next()).payload();
            if (payload instanceof Long number) {
                into.add(number);
            }
        }
    }
}
