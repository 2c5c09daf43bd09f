package dev.skynetbridge.testsupport;

import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v1.V1Codec;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.cluster.ClusterLink;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several whole gateways ({@link GatewayUnderTest}, each with its own ports, hub and routes) joined into one cluster
 * over the given NATS URLs, and real v1/v2 websocket clients on any of them. Node {@code i} is named
 * {@code node-i} (from 1).
 */
public final class GatewayCluster implements AutoCloseable {

    private final List<GatewayUnderTest> nodes = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final List<RawWebSocket> sockets = new ArrayList<>();

    /**
     * @param natsUrls for each node, the NATS URL(s) it is given (comma-separated)
     * @param routeFiles the same routes/ on every node
     * @param settings extra settings for every node
     */
    public GatewayCluster(List<String> natsUrls, Map<String, String> routeFiles, Map<String, String> settings) {
        try {
            for (int i = 0; i < natsUrls.size(); i++) {
                nodes.add(startNode(i + 1, natsUrls.get(i), routeFiles, settings));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static GatewayUnderTest startNode(int number, String natsUrl, Map<String, String> routeFiles,
            Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("skynet.cluster.nats-url", natsUrl);
        all.put("skynet.cluster.node-id", "node-" + number);
        return GatewayUnderTest.start(routeFiles, all);
    }

    public GatewayUnderTest node(int number) {
        return nodes.get(number - 1);
    }

    public ClusterLink link(int number) {
        return node(number).application().services().clusterLink();
    }

    public int size() {
        return nodes.size();
    }

    /** Stops one gateway as an operator would; its clients see their connection close. */
    public void stopNode(int number) {
        GatewayUnderTest node = nodes.get(number - 1);
        node.close();
    }

    /** Waits until every running node's link is connected to NATS. */
    public void awaitConnected() {
        for (int i = 1; i <= nodes.size(); i++) {
            ClusterLink link = link(i);
            await().atMost(Duration.ofSeconds(30)).until(link::isConnected);
        }
    }

    public RawWebSocket v2(int node) {
        RawWebSocket socket = RawWebSocket.connect(vertx, node(node).skynetPort(), "/connect/");
        sockets.add(socket);
        return socket;
    }

    public RawWebSocket v1(int node) {
        RawWebSocket socket = RawWebSocket.connect(vertx, node(node).skynetPort(), "/v1/connect");
        sockets.add(socket);
        return socket;
    }

    /** Opens channels on a v2 client (no reply) or a v1 client (waits for each result). */
    public static void open(RawWebSocket socket, boolean v1, Channel... channels) {
        for (Channel channel : channels) {
            if (v1) {
                socket.sendText(V1Codec.encodeOpen(channel));
                socket.next();
            } else {
                socket.sendBinary(V2Codec.encodeOpen(channel));
            }
        }
    }

    public static void sendV2(RawWebSocket socket, SkynetMessage message) {
        socket.sendBinary(V2Codec.encodeSend(message));
    }

    /** The message of a v2 push or a v1 event (v1: the id is in {@code ID}, the time in milliseconds). */
    public static SkynetMessage messageOf(RawWebSocket.Frame frame) {
        try {
            if (frame.binary()) {
                return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(frame.bytes())).message();
            }
            return ((dev.skynetbridge.protocol.v1.V1ServerFrame.Event) V1Codec.decodeServerFrame(frame.text())).message();
        } catch (ProtocolException | ClassCastException e) {
            throw new AssertionError("not a pushed message: " + (frame.binary() ? frame.hex() : frame.text()), e);
        }
    }

    /** The JSON object of a v1 frame. */
    public static Map<?, ?> json(RawWebSocket.Frame frame) {
        try {
            return (Map<?, ?>) JsonValues.parse(frame.text());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + frame.text(), e);
        }
    }

    /**
     * Subscriptions travel to NATS (and across a NATS cluster) on their own time, with nothing to wait on: sends
     * markers on {@code channel} from {@code sender} until every receiver got one, then an end marker, and reads each
     * receiver up to it. Afterwards each receiver is subscribed and has nothing pending from the warm-up.
     */
    public static void warmUp(RawWebSocket sender, Channel channel, RawWebSocket... receivers) {
        boolean[] got = new boolean[receivers.length];
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int remaining = receivers.length;
        while (remaining > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("warm-up markers on " + channel + " did not reach every receiver in 30 s");
            }
            sendV2(sender, SkynetMessage.of(channel, "warm-up"));
            for (int i = 0; i < receivers.length; i++) {
                if (!got[i] && receivers[i].poll(50) != null) {
                    got[i] = true;
                    remaining--;
                }
            }
        }
        sendV2(sender, SkynetMessage.of(channel, "warm-up end"));
        for (RawWebSocket receiver : receivers) {
            while (!"warm-up end".equals(messageOf(receiver.next()).payload())) {
                // markers still in flight
            }
        }
    }

    @Override
    public void close() {
        sockets.forEach(RawWebSocket::close);
        for (GatewayUnderTest node : nodes) {
            try {
                node.close();
            } catch (RuntimeException ignored) {
                // a node a test stopped already
            }
        }
        vertx.close();
    }
}
