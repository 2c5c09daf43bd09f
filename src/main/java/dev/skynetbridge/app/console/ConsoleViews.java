package dev.skynetbridge.app.console;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.server.HubMetrics;
import dev.skynetbridge.server.ParticipantView;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.server.TrafficRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console's data as plain maps and lists (written as JSON by {@code JsonValues}): one method per view, the same
 * for the JSON API and the live stream. A channel is always {@code {"type": "number"|"string", "value": ...}} plus its
 * canonical form ({@code n:42}, {@code s:door}), so 42 and "42" never look alike.
 */
final class ConsoleViews {

    private final SkynetHub hub;
    private final ConsoleNode node;
    private final TrafficRecorder recorder;
    private final ConsoleSampler sampler;
    private final BridgeStates bridges;
    private final ConsoleCounters counters;
    private final Instant started = Instant.now();

    ConsoleViews(SkynetHub hub, ConsoleNode node, TrafficRecorder recorder, ConsoleSampler sampler,
            BridgeStates bridges, ConsoleCounters counters) {
        this.hub = hub;
        this.node = node;
        this.recorder = recorder;
        this.sampler = sampler;
        this.bridges = bridges;
        this.counters = counters;
    }

    Map<String, Object> overview() {
        HubMetrics metrics = hub.metrics();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", node.view());
        view.put("startedAt", started.toString());
        view.put("messagesPublished", metrics.messagesPublished());
        view.put("messagesPerSecond", round(sampler.messagesPerSecond()));
        view.put("deliveries", metrics.deliveries());
        view.put("deliveriesDropped", metrics.deliveriesDropped());
        view.put("slowClientsClosed", metrics.slowClientsClosed());
        view.put("connectionsOpen", metrics.connectionsOpen());
        view.put("channelsOpen", hub.channelCount());
        view.put("messagesFromCluster", recorder.fromCluster());
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("samplesPerSecond", recorder.perSecond());
        traffic.put("skipped", recorder.skipped());
        traffic.put("missed", counters.trafficMissed());
        traffic.put("slowViewerBatches", counters.slowViewerBatches());
        traffic.put("viewers", recorder.viewers());
        traffic.put("untrackedChannelMessages", recorder.untrackedChannelMessages());
        view.put("console", traffic);
        return view;
    }

    List<Map<String, Object>> clients() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParticipantView participant : hub.participants()) {
            rows.add(client(participant));
        }
        return rows;
    }

    static Map<String, Object> client(ParticipantView participant) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", participant.id());
        row.put("protocol", participant.kind());
        row.put("address", participant.address());
        row.put("connectedSince", participant.since().toString());
        List<Object> channels = new ArrayList<>();
        for (Channel channel : participant.channels()) {
            channels.add(channel(channel));
        }
        row.put("channels", channels);
        row.put("messagesIn", participant.messagesIn());
        row.put("messagesOut", participant.messagesOut());
        row.put("queueDepth", participant.queueDepth());
        row.put("dropped", participant.dropped());
        return row;
    }

    /** Every channel someone listens on or that carried messages, with subscribers and messages a second. */
    List<Map<String, Object>> channels() {
        Map<Channel, Integer> subscribers = hub.subscriberCounts();
        Map<Channel, Long> counts = recorder.channelCounts();
        Set<Channel> all = new TreeSet<>(subscribers.keySet());
        all.addAll(counts.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Channel channel : all) {
            Map<String, Object> row = channel(channel);
            row.put("subscribers", subscribers.getOrDefault(channel, 0));
            row.put("messages", counts.getOrDefault(channel, 0L));
            row.put("messagesPerSecond", round(sampler.channelRate(channel)));
            rows.add(row);
        }
        return rows;
    }

    List<Map<String, Object>> bridges() {
        return bridges.views();
    }

    Map<String, Object> cluster() {
        return ConsoleCluster.view(node);
    }

    static Map<String, Object> traffic(TrafficRecorder.Entry entry) {
        SkynetMessage message = entry.delivery().message();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seq", entry.sequence());
        row.put("time", message.time() == null ? null : message.time().toString());
        row.put("id", message.id());
        row.put("channel", channel(message.channel()));
        if (entry.sender() == null) {
            row.put("sender", null);
        } else {
            Map<String, Object> sender = new LinkedHashMap<>();
            sender.put("id", entry.senderId());
            sender.put("address", entry.sender());
            row.put("sender", sender);
        }
        // Another cluster node's message has no sender here: name the node it entered on (null: this gateway).
        row.put("enteredOn", entry.delivery().entryNode());
        row.put("recipients", entry.recipients());
        row.put("extras", message.extras());
        row.put("payload", message.payload());
        return row;
    }

    static Map<String, Object> channel(Channel channel) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", channel.isNumeric() ? "number" : "string");
        view.put("value", channel.value());
        view.put("canonical", channel.canonical());
        return view;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
