package dev.skynetbridge.bridge.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skynetbridge.mqtt.ChannelTopicMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Home Assistant's MQTT integration requires of a discovery message, written down here from its documentation
 * and its platform schemas independently of the gateway's own tables, so a test can hold the gateway's retained
 * configs against it: the topic layout, a JSON object, the keys each platform cannot do without, a unique id, a
 * device with identifiers and only device options HA knows, an origin with a name, availability on the bridge's
 * status topic, and only topics the bridge really uses.
 */
final class HaDiscoveryRequirements {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code <prefix>/<component>/[<node_id>/]<object_id>/config}, ids of {@code [a-zA-Z0-9_-]}. */
    private static final Pattern TOPIC = Pattern.compile("([a-z_]+)/(?:([a-zA-Z0-9_-]+)/)?([a-zA-Z0-9_-]+)/config");
    /** Required keys per platform, from home-assistant.io/integrations/<platform>.mqtt. */
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("sensor", List.of("state_topic")),
            Map.entry("binary_sensor", List.of("state_topic")),
            Map.entry("event", List.of("state_topic", "event_types")),
            Map.entry("button", List.of("command_topic")),
            Map.entry("switch", List.of("command_topic")),
            Map.entry("number", List.of("command_topic")),
            Map.entry("select", List.of("command_topic", "options")),
            Map.entry("text", List.of("command_topic")),
            Map.entry("notify", List.of("command_topic")),
            Map.entry("light", List.of("command_topic")),
            Map.entry("lock", List.of("command_topic")),
            Map.entry("fan", List.of("command_topic")));
    private static final Set<String> DEVICE_KEYS = Set.of("identifiers", "connections", "manufacturer", "model",
            "model_id", "name", "hw_version", "serial_number", "sw_version", "via_device", "suggested_area",
            "configuration_url");

    private HaDiscoveryRequirements() {
    }

    /**
     * @param configs    retained discovery messages, topic to payload
     * @param statusTopic the bridge's status topic, whose retained payload is {@code statusNow}
     * @return every requirement a message breaks, empty when all hold
     */
    static List<String> problems(Map<String, String> configs, String prefix, ChannelTopicMapping bridge,
                                 String statusTopic, String statusNow) {
        List<String> problems = new ArrayList<>();
        Set<String> uniqueIds = new HashSet<>();
        Set<String> deviceIds = new HashSet<>();
        List<String> viaDevices = new ArrayList<>();
        configs.forEach((topic, payload) -> {
            Matcher layout = TOPIC.matcher(topic.startsWith(prefix + "/") ? topic.substring(prefix.length() + 1) : "");
            if (!layout.matches()) {
                problems.add(topic + ": not <prefix>/<component>/[<node_id>/]<object_id>/config");
                return;
            }
            String platform = layout.group(1);
            JsonNode config;
            try {
                config = JSON.readTree(payload);
            } catch (IOException e) {
                problems.add(topic + ": not JSON: " + e.getMessage());
                return;
            }
            if (config == null || !config.isObject()) {
                problems.add(topic + ": not a JSON object");
                return;
            }
            for (String key : REQUIRED.getOrDefault(platform, List.of())) {
                if (!config.hasNonNull(key)) {
                    problems.add(topic + ": " + platform + " requires " + key);
                }
            }
            String uniqueId = config.path("unique_id").asText("");
            if (uniqueId.isEmpty() || !uniqueIds.add(uniqueId)) {
                problems.add(topic + ": unique_id missing or not unique: '" + uniqueId + "'");
            }
            for (String key : List.of("state_topic", "command_topic")) {
                if (config.has(key)) {
                    String used = config.get(key).asText();
                    if (!used.equals(statusTopic) && bridge.channelFor(used).isEmpty()) {
                        problems.add(topic + ": " + key + " " + used + " is no topic of the bridge's channels");
                    }
                }
            }
            JsonNode device = config.path("device");
            if (!device.path("identifiers").isArray() || device.path("identifiers").isEmpty()) {
                problems.add(topic + ": device.identifiers missing");
            } else {
                device.path("identifiers").forEach(id -> deviceIds.add(id.asText()));
            }
            for (Iterator<String> keys = device.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!DEVICE_KEYS.contains(key)) {
                    problems.add(topic + ": device option " + key + " is unknown to Home Assistant");
                }
            }
            if (device.has("via_device")) {
                viaDevices.add(topic + " " + device.get("via_device").asText());
            }
            if (config.path("origin").path("name").asText("").isEmpty()) {
                problems.add(topic + ": origin.name missing");
            }
            boolean statusEntity = statusTopic.equals(config.path("state_topic").asText(null));
            JsonNode availability = config.path("availability");
            if (!statusEntity) {
                if (!availability.isArray() || availability.size() != 1
                    || !availability.get(0).path("topic").asText().equals(statusTopic)) {
                    problems.add(topic + ": availability is not the bridge's status topic " + statusTopic);
                } else if (!availability.get(0).path("payload_available").asText("online").equals(statusNow)) {
                    problems.add(topic + ": the status topic holds '" + statusNow + "', not payload_available");
                }
            }
        });
        for (String via : viaDevices) {
            String id = via.substring(via.indexOf(' ') + 1);
            if (!deviceIds.contains(id)) {
                problems.add(via.substring(0, via.indexOf(' ')) + ": via_device " + id + " is no published device");
            }
        }
        return problems;
    }
}
