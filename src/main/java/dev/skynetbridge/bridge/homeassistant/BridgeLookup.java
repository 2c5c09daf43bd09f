package dev.skynetbridge.bridge.homeassistant;

import dev.skynetbridge.camel.mqtt.SkynetMqttEndpoint;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.support.NearestName;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.CamelContext;

/**
 * Finds the MQTT bridge a Home Assistant file names, among the {@code skynet-mqtt:} endpoints of the routes, and
 * checks that discovery can use it: one broker, one topic prefix, one status topic, and a channel filter that lets
 * every entity's channel through. Problems are {@link HomeAssistantFileException}s at the line concerned.
 */
final class BridgeLookup {

    private BridgeLookup() {
    }

    /** The bridge's endpoint (any one: they agree, or this throws). */
    static SkynetMqttEndpoint find(CamelContext context, HomeAssistantFile file) {
        List<SkynetMqttEndpoint> all = context.getEndpoints().stream()
                .filter(SkynetMqttEndpoint.class::isInstance).map(SkynetMqttEndpoint.class::cast).toList();
        List<SkynetMqttEndpoint> bridge = all.stream().filter(e -> e.getBridgeId().equals(file.bridge())).toList();
        String at = file.at(file.bridgeLine());
        if (bridge.isEmpty()) {
            TreeSet<String> known = new TreeSet<>();
            all.forEach(endpoint -> known.add(endpoint.getBridgeId()));
            throw new HomeAssistantFileException(at + "unknown bridge '" + file.bridge() + "': "
                    + (known.isEmpty() ? "the routes define no MQTT bridge (routes/mqtt-bridge.yaml defines the"
                                         + " default one)"
                                       : "the routes' MQTT bridges are " + String.join(", ", known)
                                         + NearestName.suggestion(file.bridge(), known))
                    + "; give bridge: the bridgeId of a skynet-mqtt-bridge route");
        }
        SkynetMqttEndpoint first = bridge.get(0);
        for (SkynetMqttEndpoint other : bridge) {
            if (!other.getBrokerUrl().equals(first.getBrokerUrl())) {
                throw new HomeAssistantFileException(at + "bridge '" + file.bridge() + "' has endpoints on two"
                        + " brokers (" + first.getBrokerUrl() + " and " + other.getBrokerUrl() + "); discovery needs a"
                        + " bridge on one broker");
            }
            if (!other.mapping().prefix().equals(first.mapping().prefix())
                || !other.availability().equals(first.availability())) {
                throw new HomeAssistantFileException(at + "the endpoints of bridge '" + file.bridge() + "' disagree on"
                        + " topicPrefix or statusTopic; discovery needs one set of topics");
            }
        }
        for (SkynetMqttEndpoint endpoint : bridge) {
            checkChannels(file, endpoint);
        }
        return first;
    }

    /** A bridge that relays one channel only cannot carry an entity on another. */
    private static void checkChannels(HomeAssistantFile file, SkynetMqttEndpoint endpoint) {
        Channel relayed = endpoint.subscribedChannel();
        if (relayed.isWildcard()) {
            return;
        }
        for (HomeAssistantFile.Device device : file.devices()) {
            for (HomeAssistantFile.Entity entity : device.entities()) {
                for (Map.Entry<String, HomeAssistantFile.Located<Channel>> topic : entity.topics().entrySet()) {
                    Channel channel = topic.getValue().value();
                    if (!channel.equals(relayed)) {
                        throw new HomeAssistantFileException(file.at(topic.getValue().line()) + "entity "
                                + device.id() + "/" + entity.id() + ": bridge '" + file.bridge() + "' relays only"
                                + " channel " + relayed.canonical() + ", not " + channel.canonical() + "; use a bridge"
                                + " with channel * or one for this channel");
                    }
                }
            }
        }
    }
}
