package dev.skynetbridge.server.cluster;

import static dev.skynetbridge.testsupport.GatewayCluster.messageOf;
import static dev.skynetbridge.testsupport.GatewayCluster.open;
import static dev.skynetbridge.testsupport.GatewayCluster.sendV2;
import static dev.skynetbridge.testsupport.GatewayCluster.warmUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v1.V1Codec;
import dev.skynetbridge.testsupport.GatewayCluster;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reference's routing rules across three gateways, with real v1 and v2 clients spread over the nodes. Run on
 * one nats-server and on a three-node NATS cluster (the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterRoutingContract {

    /** Nothing more is expected: wait this long to be reasonably sure nothing comes. */
    static final long QUIET_MS = 500;

    GatewayCluster cluster;

    /** Starts NATS; returns the NATS URL each of the three gateways is given. */
    abstract List<String> startNats();

    abstract void stopNats();

    @BeforeAll
    void startCluster() {
        dev.skynetbridge.testsupport.NatsServer.assumeAvailable();
        cluster = new GatewayCluster(startNats(), Map.of(), Map.of());
        cluster.awaitConnected();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        stopNats();
    }

    @Test
    void aMessageReachesEveryListenerInTheClusterOnceNeverItsSenderAndIntact() {
        Channel ch = Channel.of(42);
        RawWebSocket sender = cluster.v2(1);          // has 42 open itself: must not get its own message
        RawWebSocket localV2 = cluster.v2(1);
        RawWebSocket localV1 = cluster.v1(1);
        RawWebSocket remoteV2 = cluster.v2(2);
        RawWebSocket remoteV1 = cluster.v1(2);
        RawWebSocket wildcardAndChannel = cluster.v2(2); // "*" and 42: still once
        RawWebSocket wildcard = cluster.v1(3);
        open(sender, false, ch);
        open(localV2, false, ch);
        open(localV1, true, ch);
        open(remoteV2, false, ch);
        open(remoteV1, true, ch);
        open(wildcardAndChannel, false, Channel.WILDCARD, ch);
        open(wildcard, true, Channel.WILDCARD);
        RawWebSocket warmer = cluster.v2(1);
        warmUp(warmer, ch, sender, localV2, localV1, remoteV2, remoteV1, wildcardAndChannel, wildcard);

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("bytes", new byte[] {0, 1, (byte) 0xff});
        payload.put("half", 1.5);
        payload.put("double", 0.1);
        payload.put("big", Long.MAX_VALUE);
        payload.put("negative", Long.MIN_VALUE);
        payload.put("huge", new BigInteger("18446744073709551615"));
        payload.put("list", List.of("a", 2L, true));
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("sender", "bob");
        extras.put("time", "the sender's own"); // relayed as an extra key, as the reference does
        sendV2(sender, new SkynetMessage(ch, payload, extras, null, null));

        byte[] reference = localV2.next().bytes();
        RawWebSocket.Frame fromRemote = remoteV2.next();
        RawWebSocket.Frame fromBoth = wildcardAndChannel.next();
        assertThat(fromRemote.bytes()).as("the v2 push on node 2 is the push on node 1, byte for byte (same time,"
                + " extra keys, payload)").isEqualTo(reference);
        assertThat(fromBoth.bytes()).isEqualTo(reference);

        RawWebSocket.Frame v1LocalFrame = localV1.next();
        SkynetMessage v1Local = messageOf(v1LocalFrame);
        assertThat(v1Local.id()).isNotNull();
        assertThat(List.of(remoteV1.next().text(), wildcard.next().text()))
                .as("the v1 event on nodes 2 and 3 is node 1's, character for character (one ID and time)")
                .containsOnly(v1LocalFrame.text());
        assertThat(v1Local.extras()).containsEntry("sender", "bob");

        for (RawWebSocket socket : List.of(sender, localV2, localV1, remoteV2, remoteV1, wildcardAndChannel, wildcard)) {
            assertThat(socket.poll(QUIET_MS)).as("exactly once, and never to its sender").isNull();
        }
        assertThat(cluster.link(2).metrics().duplicatesSkipped())
                .as("node 2 is subscribed to \"*\" and 42: NATS sent it each message twice").isPositive();
    }

    @Test
    void wildcardNumbersAndStringsFollowTheReferenceAcrossNodes() {
        Channel five = Channel.of(5);
        Channel fiveText = Channel.of("5");
        Channel odd = Channel.of("a.b *>c d\u00e9\u6f22");
        RawWebSocket sender = cluster.v2(1);
        RawWebSocket number = cluster.v2(2);
        RawWebSocket text = cluster.v1(3);
        RawWebSocket oddListener = cluster.v2(3);
        RawWebSocket wildcard = cluster.v2(2);
        open(number, false, five);
        open(text, true, fiveText);
        open(oddListener, false, odd);
        open(wildcard, false, Channel.WILDCARD);
        RawWebSocket warmer = cluster.v2(1);
        warmUp(warmer, five, number, wildcard);
        warmUp(warmer, fiveText, text, wildcard);
        warmUp(warmer, odd, oddListener, wildcard);
        warmUp(warmer, Channel.WILDCARD, wildcard);

        sendV2(sender, SkynetMessage.of(five, "number"));
        sendV2(sender, SkynetMessage.of(fiveText, "text"));
        sendV2(sender, SkynetMessage.of(odd, "odd"));
        sendV2(sender, SkynetMessage.of(Channel.WILDCARD, "to everyone listening to everything"));

        assertThat(messageOf(number.next())).satisfies(m -> {
            assertThat(m.channel()).isEqualTo(five);
            assertThat(m.payload()).isEqualTo("number");
        });
        assertThat(messageOf(text.next())).satisfies(m -> {
            assertThat(m.channel()).isEqualTo(fiveText);
            assertThat(m.payload()).isEqualTo("text");
        });
        assertThat(messageOf(oddListener.next()).channel()).isEqualTo(odd);
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SkynetMessage m = messageOf(wildcard.next());
            all.add(m.channel() + "=" + m.payload());
        }
        assertThat(all).containsExactly("n:5=number", "s:5=text", odd + "=odd",
                "s:*=to everyone listening to everything");
        for (RawWebSocket socket : List.of(number, text, oddListener, wildcard)) {
            assertThat(socket.poll(QUIET_MS)).as("nothing else: \"*\" only to \"*\" listeners, 5 is not \"5\"").isNull();
        }
    }

    @Test
    void v1AndV2TalkAcrossNodes() {
        Channel ch = Channel.of("v1v2");
        RawWebSocket v1 = cluster.v1(1);
        RawWebSocket v2 = cluster.v2(3);
        open(v1, true, ch);
        open(v2, false, ch);
        warmUp(cluster.v2(2), ch, v1, v2);

        v1.sendText(V1Codec.encodeSend(SkynetMessage.of(ch, Map.of("from", "v1"))));
        assertThat(GatewayCluster.json(v1.next()).get("type")).isEqualTo("result");
        assertThat(messageOf(v2.next()).payload()).isEqualTo(Map.of("from", "v1"));
        sendV2(v2, SkynetMessage.of(ch, Map.of("from", "v2")));
        assertThat(messageOf(v1.next()).payload()).isEqualTo(Map.of("from", "v2"));
    }

    @Test
    void eachSendersOrderHoldsOnEveryNodeUnderLoad() {
        Channel ch = Channel.of(700);
        RawWebSocket senderA = cluster.v2(1);
        RawWebSocket senderC = cluster.v2(3);
        RawWebSocket onA = cluster.v2(1);
        RawWebSocket onB = cluster.v2(2);
        RawWebSocket onC = cluster.v1(3);
        for (RawWebSocket r : List.of(onA, onB)) {
            open(r, false, ch);
        }
        open(onC, true, ch);
        warmUp(cluster.v2(2), ch, onA, onB, onC);
        int count = 2_000;
        for (int i = 0; i < count; i++) {
            sendV2(senderA, SkynetMessage.of(ch, "A" + i));
            sendV2(senderC, SkynetMessage.of(ch, "C" + i));
        }
        for (RawWebSocket receiver : List.of(onA, onB, onC)) {
            int nextA = 0;
            int nextC = 0;
            while (nextA < count || nextC < count) {
                String payload = (String) messageOf(receiver.next()).payload();
                if (payload.startsWith("A")) {
                    assertThat(payload).isEqualTo("A" + nextA++);
                } else {
                    assertThat(payload).isEqualTo("C" + nextC++);
                }
            }
            assertThat(receiver.poll(QUIET_MS)).as("no copies").isNull();
        }
    }

    @Test
    void aNodeSubscribesOnlyToWhatItsClientsHaveOpen() {
        Channel ch = Channel.of("interest");
        RawWebSocket listener = cluster.v2(2);
        open(listener, false, ch);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.link(2).interest().contains(ch));
        assertThat(cluster.link(3).interest()).doesNotContain(ch, Channel.WILDCARD);
        long receivedOnThree = cluster.link(3).metrics().received();
        warmUp(cluster.v2(1), ch, listener);
        assertThat(cluster.link(3).metrics().received()).as("node 3 has no listener: NATS sends it nothing")
                .isEqualTo(receivedOnThree);
        listener.sendBinary(dev.skynetbridge.protocol.v2.V2Codec.encodeClose(ch));
        await().atMost(Duration.ofSeconds(10)).until(() -> !cluster.link(2).interest().contains(ch));
    }
}
