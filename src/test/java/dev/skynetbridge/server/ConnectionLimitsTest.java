package dev.skynetbridge.server;

import static dev.skynetbridge.testsupport.AccessFiles.anonymousYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit reached: the client over it gets a clear error, everyone else carries on. */
class ConnectionLimitsTest extends AclServerHarness {

    static final String EVERYTHING = anonymousYaml("{ allow: readwrite, channels: [\"*\"] }");

    void startWith(ConnectionLimits limits) {
        start("", EVERYTHING, options().limits(limits));
    }

    /** Sends a message on channel 1 from {@code sender} and waits for {@code listener} to get it (after what came before). */
    void assertStillServes(RawWebSocket sender, RawWebSocket listener, String payload) throws Exception {
        send(sender, 1, payload);
        Object received;
        do {
            received = push(listener.next()).payload();
        } while (!payload.equals(received));
    }

    @Test
    void channelsPerConnection() throws Exception {
        startWith(ConnectionLimits.DEFAULTS.withChannelsPerConnection(3));
        RawWebSocket greedy = client(null);
        for (int channel = 1; channel <= 4; channel++) {
            open(greedy, channel);
        }
        V2ServerFrame.Error error = error(greedy.next());
        assertThat(error.kind()).isEqualTo("limit_exceeded");
        assertThat(error.detail()).isEqualTo("cannot open n:4: 3 channels are open already, the most one connection may"
                + " have (skynet.server.limit.channels-per-connection); close some first");
        open(greedy, 2); // open already: no error, no extra channel
        greedy.sendBinary(dev.skynetbridge.protocol.v2.V2Codec.encodeClose(Channel.of(3)));
        open(greedy, 4);
        await().until(() -> subscribers(Channel.of(4)) == 1);
        assertThat(greedy.poll(QUIET_MS)).isNull();
        assertThat(access().refused(Refusal.TOO_MANY_CHANNELS)).isEqualTo(1);
        RawWebSocket other = client(null);
        open(other, 1);
        await().until(() -> subscribers(Channel.of(1)) == 2);
    }

    @Test
    void messagesPerSecondDropsTheExcessWithOneErrorAndOthersAreUnaffected() throws Exception {
        startWith(ConnectionLimits.DEFAULTS.withMessageRate(5, 5));
        RawWebSocket listener = client(null);
        open(listener, 1);
        await().until(() -> subscribers(Channel.of(1)) == 1);
        RawWebSocket flooder = client(null);
        for (int i = 0; i < 60; i++) {
            send(flooder, 1, "flood " + i);
        }
        V2ServerFrame.Error error = error(flooder.next());
        assertThat(error.kind()).isEqualTo("rate_limited");
        assertThat(error.detail()).startsWith("too fast: over 5 requests a second (burst 5,"
                + " skynet.server.limit.messages-per-second)");
        await().until(() -> access().refused(Refusal.MESSAGE_RATE) >= 50);
        List<Object> received = new ArrayList<>();
        RawWebSocket.Frame frame;
        while ((frame = listener.poll(QUIET_MS)) != null) {
            received.add(push(frame).payload());
        }
        assertThat(received).as("the burst, and at most a few more as the bucket refills").hasSizeBetween(5, 15)
                .startsWith("flood 0", "flood 1", "flood 2", "flood 3", "flood 4");
        assertThat(received.size() + access().refused(Refusal.MESSAGE_RATE)).as("each one delivered or counted").isEqualTo(60);
        assertThat(flooder.poll(QUIET_MS)).as("one error a second at most, not one per dropped message").isNull();
        assertStillServes(client(null), listener, "others carry on");
        assertThat(flooder.isClosed()).isFalse();
    }

    @Test
    void bytesPerSecond() throws Exception {
        start("", EVERYTHING, options().maxFrameSize(2048).limits(ConnectionLimits.DEFAULTS.withByteRate(1000, 4096)));
        RawWebSocket listener = client(null);
        open(listener, 1);
        await().until(() -> subscribers(Channel.of(1)) == 1);
        RawWebSocket heavy = client(null);
        for (int i = 0; i < 10; i++) {
            send(heavy, 1, "x".repeat(1500));
        }
        V2ServerFrame.Error error = error(heavy.next());
        assertThat(error.kind()).isEqualTo("rate_limited");
        assertThat(error.detail()).contains("bytes a second (burst 4096, skynet.server.limit.bytes-per-second)");
        await().until(() -> access().refused(Refusal.BYTE_RATE) >= 6);
        assertStillServes(client(null), listener, "small and welcome");
    }

    @Test
    void connectionsPerAddressAre429() throws Exception {
        startWith(ConnectionLimits.DEFAULTS.withConnections(2, 0));
        RawWebSocket first = client(null);
        client(null);
        assertThat(upgradeStatus("/connect/")).isEqualTo(429);
        assertThat(access().refused(Refusal.CONNECTIONS_PER_ADDRESS)).isEqualTo(1);
        first.close();
        await().until(() -> server.hub().metrics().connectionsOpen() == 1);
        await().until(() -> upgradeStatus("/connect/") == 101);
    }

    @Test
    void connectionsInAllAre503() throws Exception {
        startWith(ConnectionLimits.DEFAULTS.withConnections(0, 3));
        client(null);
        client(null);
        client(null);
        assertThat(upgradeStatus("/connect/")).isEqualTo(503);
        assertThat(access().refused(Refusal.CONNECTIONS_TOTAL)).isEqualTo(1);
    }

    @Test
    void limitsAlsoHoldWithoutAnAccessFile() throws Exception {
        server = new SkynetServer(vertx, new ServerOptions().host("127.0.0.1").port(0)
                .limits(ConnectionLimits.DEFAULTS.withConnections(1, 0).withChannelsPerConnection(1)), new SkynetHub(10));
        server.start();
        RawWebSocket only = client(null);
        assertThat(upgradeStatus("/connect/anything")).isEqualTo(429);
        open(only, 1);
        open(only, 2);
        assertThat(error(only.next()).kind()).isEqualTo("limit_exceeded");
    }
}
