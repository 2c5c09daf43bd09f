package dev.skynetbridge.bridge.homeassistant;

import dev.skynetbridge.mqtt.ChannelTopicMapping;
import dev.skynetbridge.mqtt.MqttAvailability;
import dev.skynetbridge.protocol.Channel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The discovery messages for a Home Assistant file on one bridge: one retained config per entity on
 * {@code <prefix>/<platform>/skynet_<bridge>_<device>/<entity>/config} (Home Assistant's per-entity discovery, which
 * every Home Assistant version reads and which ESPHome and Zigbee2MQTT use too), with what the gateway fills in:
 * the topics of the entity's channels in the bridge's own mapping, {@code unique_id}, {@code default_entity_id},
 * the {@code device} block, {@code origin} and {@code availability} on the bridge's status topic.
 *
 * <p>When the bridge has a status topic, the gateway itself is a device too (identifiers {@code skynet_<bridge>}),
 * with one diagnostic "Connection" entity on that topic; every device names it as its {@code via_device}, and Home
 * Assistant needs it to exist for that.
 */
final class DiscoveryMessages {

    static final String MANUFACTURER = "skynet-bridge";

    /** One retained discovery config: its topic and its JSON object, keys in the order written. */
    record Message(String topic, Map<String, Object> payload) {
    }

    /**
     * What discovery needs of the bridge: its id, its channel-topic mapping and its status topic.
     */
    record Bridge(String id, ChannelTopicMapping mapping, MqttAvailability availability) {
    }

    private DiscoveryMessages() {
    }

    /** Every config for the file, the gateway's own first (so its device exists when the others name it). */
    static List<Message> build(HomeAssistantFile file, Bridge bridge, String version) {
        List<Message> messages = new ArrayList<>();
        String bridgeSlug = slug(bridge.id());
        String gatewayId = "skynet_" + bridgeSlug;
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", MANUFACTURER);
        origin.put("sw_version", version);
        boolean available = bridge.availability().enabled();
        if (available) {
            messages.add(gatewayMessage(file.discoveryPrefix(), bridge, gatewayId, version, origin));
        }
        for (HomeAssistantFile.Device device : file.devices()) {
            String deviceId = gatewayId + "_" + device.id();
            Map<String, Object> deviceBlock = new LinkedHashMap<>();
            deviceBlock.put("identifiers", List.of(deviceId));
            deviceBlock.put("name", device.id());
            deviceBlock.put("manufacturer", MANUFACTURER);
            deviceBlock.put("sw_version", version);
            deviceBlock.putAll(device.options()); // the user's name, model, ... win over the defaults above
            if (available) {
                deviceBlock.put("via_device", gatewayId);
            }
            for (HomeAssistantFile.Entity entity : device.entities()) {
                Map<String, Object> payload = new LinkedHashMap<>(entity.options());
                entity.topics().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey()) // stable output whatever the map's order
                        .forEach(topic -> payload.put(topic.getKey(), topicOf(bridge.mapping(),
                                topic.getValue().value())));
                payload.put("unique_id", deviceId + "_" + entity.id());
                payload.putIfAbsent("default_entity_id", entity.platform().haName() + "."
                        + entityIdSlug(device.id() + "_" + entity.id()));
                if (available) {
                    payload.put("availability", List.of(availabilityOf(bridge.availability())));
                }
                payload.put("device", deviceBlock);
                payload.put("origin", origin);
                messages.add(new Message(configTopic(file.discoveryPrefix(), entity.platform().haName(), deviceId,
                        entity.id()), payload));
            }
        }
        return messages;
    }

    private static Message gatewayMessage(String prefix, Bridge bridge, String gatewayId, String version,
                                          Map<String, Object> origin) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(gatewayId));
        device.put("name", "Skynet bridge " + bridge.id());
        device.put("manufacturer", MANUFACTURER);
        device.put("model", "skynet-bridge gateway");
        device.put("sw_version", version);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", "Connection");
        payload.put("device_class", "connectivity");
        payload.put("entity_category", "diagnostic");
        // No availability: this entity shows the status itself (disconnected), instead of going unavailable.
        payload.put("state_topic", bridge.availability().topic());
        payload.put("payload_on", bridge.availability().online());
        payload.put("payload_off", bridge.availability().offline());
        payload.put("unique_id", gatewayId + "_connection");
        payload.put("default_entity_id", "binary_sensor." + entityIdSlug(gatewayId + "_connection"));
        payload.put("device", device);
        payload.put("origin", origin);
        return new Message(configTopic(prefix, "binary_sensor", gatewayId, "connection"), payload);
    }

    private static Map<String, Object> availabilityOf(MqttAvailability availability) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("topic", availability.topic());
        entry.put("payload_available", availability.online());
        entry.put("payload_not_available", availability.offline());
        return entry;
    }

    static String topicOf(ChannelTopicMapping mapping, Channel channel) {
        return mapping.topicFor(channel);
    }

    static String configTopic(String prefix, String platform, String nodeId, String objectId) {
        return prefix + "/" + platform + "/" + nodeId + "/" + objectId + "/config";
    }

    /** A bridge id as a topic level and id part: lower case, anything but {@code a-z 0-9 _ -} as {@code _}. */
    static String slug(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    }

    /** An entity id's object part as Home Assistant accepts it: {@code a-z 0-9} and single inner underscores. */
    static String entityIdSlug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? "skynet" : slug;
    }
}
