package dev.skynetbridge.bridge.homeassistant;

import dev.skynetbridge.support.NearestName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code config/homeassistant.yaml} (format in docs/home-assistant.md) and checks everything that needs no
 * running gateway: the YAML, the keys, ids, platforms, channels and each platform's required options. Every problem
 * is one {@link HomeAssistantFileException} {@code file:line: problem}; the entities are read by {@link EntityReader}.
 */
final class HomeAssistantFileParser {

    /** Device and entity ids: they become parts of MQTT topics, unique ids and entity ids. */
    static final Pattern ID = Pattern.compile("[a-z0-9_-]+");
    /**
     * Most entities one file may declare. Discovery sends one retained message per entity through the bridge's outbox
     * (10,000 by default), so a bound well below it keeps every one of them from being dropped.
     */
    static final int MAX_ENTITIES = 1_000;

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("bridge", "discoveryPrefix", "devices");
    /** Home Assistant's device options (its device schema refuses any other key, and the whole message with it). */
    static final Set<String> DEVICE_OPTIONS = Set.of("name", "model", "model_id", "manufacturer", "hw_version",
            "sw_version", "serial_number", "suggested_area", "configuration_url", "connections");
    private static final Map<String, String> GATEWAY_DEVICE_KEYS = Map.of(
            "identifiers", "the gateway sets the device's identifiers (skynet_<bridge>_<device id>)",
            "ids", "the gateway sets the device's identifiers (skynet_<bridge>_<device id>)",
            "via_device", "the gateway sets via_device to itself");

    private HomeAssistantFileParser() {
    }

    /** Reads the file; {@code source} is how messages name it (the path as configured). */
    static HomeAssistantFile read(Path file, String source) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HomeAssistantFileException(source + ":1: cannot be read: " + e.getMessage());
        }
        return parse(source, text);
    }

    static HomeAssistantFile parse(String source, String text) {
        YamlTree yaml = new YamlTree(source);
        Optional<Node> root = yaml.compose(text);
        if (root.isEmpty()) {
            throw new HomeAssistantFileException(source + ":1: the file is empty: declare bridge: and devices: (see"
                    + " docs/home-assistant.md), or remove the file to turn Home Assistant discovery off");
        }
        LinkedHashMap<String, Node> top = yaml.mapping(root.get(), "the file");
        for (Map.Entry<String, Node> entry : top.entrySet()) {
            if (!TOP_LEVEL_KEYS.contains(entry.getKey())) {
                throw new HomeAssistantFileException(yaml.at(entry.getValue()) + "unknown key '" + entry.getKey() + "'"
                        + NearestName.suggestion(entry.getKey(), TOP_LEVEL_KEYS) + "; the file has bridge:,"
                        + " discoveryPrefix: and devices:");
            }
        }
        String bridge = HomeAssistantFile.DEFAULT_BRIDGE;
        int bridgeLine = 1;
        if (top.containsKey("bridge")) {
            Node node = top.get("bridge");
            bridge = yaml.text(node, "bridge");
            bridgeLine = YamlTree.line(node);
            if (bridge.isBlank()) {
                throw new HomeAssistantFileException(yaml.at(node) + "bridge is empty: give the bridgeId of an MQTT"
                        + " bridge in routes/ (the shipped one is default)");
            }
        }
        String prefix = HomeAssistantFile.DEFAULT_DISCOVERY_PREFIX;
        if (top.containsKey("discoveryPrefix")) {
            Node node = top.get("discoveryPrefix");
            prefix = yaml.text(node, "discoveryPrefix");
            checkDiscoveryPrefix(yaml.at(node), prefix);
        }
        Node devicesNode = top.get("devices");
        if (devicesNode == null) {
            throw new HomeAssistantFileException(source + ":1: devices: is missing: list the devices (computers) and"
                    + " their entities, or give devices: [] to remove every entity published before");
        }
        List<HomeAssistantFile.Device> devices = new ArrayList<>();
        Map<String, Integer> deviceLines = new HashMap<>();
        int entities = 0;
        for (Node deviceNode : yaml.sequence(devicesNode, "devices")) {
            HomeAssistantFile.Device device = device(yaml, deviceNode);
            Integer earlier = deviceLines.putIfAbsent(device.id(), device.line());
            if (earlier != null) {
                throw new HomeAssistantFileException(source + ":" + device.line() + ": device id '" + device.id()
                        + "' is used twice (first on line " + earlier + "); device ids must be unique in the file");
            }
            entities += device.entities().size();
            if (entities > MAX_ENTITIES) {
                throw new HomeAssistantFileException(source + ":" + device.line() + ": more than " + MAX_ENTITIES
                        + " entities in the file; that many discovery messages could overflow the bridge's outbox");
            }
            devices.add(device);
        }
        return new HomeAssistantFile(source, bridge, bridgeLine, prefix, List.copyOf(devices));
    }

    private static void checkDiscoveryPrefix(String at, String prefix) {
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("+")
            || prefix.contains("#") || prefix.indexOf('\0') >= 0) {
            throw new HomeAssistantFileException(at + "discoveryPrefix '" + prefix + "' must be topic levels without"
                    + " +, # or a leading or trailing /; Home Assistant's default is homeassistant");
        }
    }

    private static HomeAssistantFile.Device device(YamlTree yaml, Node node) {
        LinkedHashMap<String, Node> keys = yaml.mapping(node, "a device");
        int line = YamlTree.line(node);
        String id = id(yaml, keys, node, "device");
        Map<String, Object> options = new LinkedHashMap<>();
        Node entitiesNode = null;
        for (Map.Entry<String, Node> entry : keys.entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            if (key.equals("id")) {
                continue;
            }
            if (key.equals("entities")) {
                entitiesNode = value;
            } else if (GATEWAY_DEVICE_KEYS.containsKey(key)) {
                throw new HomeAssistantFileException(yaml.at(value) + "device " + id + ": remove '" + key + "': "
                        + GATEWAY_DEVICE_KEYS.get(key));
            } else if (DEVICE_OPTIONS.contains(key)) {
                options.put(key, yaml.value(value));
            } else {
                throw new HomeAssistantFileException(yaml.at(value) + "device " + id + ": unknown device option '"
                        + key + "'" + NearestName.suggestion(key, DEVICE_OPTIONS) + "; Home Assistant devices take "
                        + String.join(", ", DEVICE_OPTIONS.stream().sorted().toList()) + " (entity options go under"
                        + " entities:)");
            }
        }
        if (entitiesNode == null) {
            throw new HomeAssistantFileException(yaml.at(node) + "device " + id + " has no entities: list them under"
                    + " entities:");
        }
        List<Node> entityNodes = yaml.sequence(entitiesNode, "entities of device " + id);
        if (entityNodes.isEmpty()) {
            throw new HomeAssistantFileException(yaml.at(entitiesNode) + "device " + id + " has no entities: list"
                    + " them under entities:, or remove the device");
        }
        List<HomeAssistantFile.Entity> entities = new ArrayList<>();
        Map<String, Integer> entityLines = new HashMap<>();
        EntityReader reader = new EntityReader(yaml, id);
        for (Node entityNode : entityNodes) {
            HomeAssistantFile.Entity entity = reader.read(entityNode, id(yaml, yaml.mapping(entityNode, "an entity"),
                    entityNode, "entity"));
            Integer earlier = entityLines.putIfAbsent(entity.id(), entity.line());
            if (earlier != null) {
                throw new HomeAssistantFileException(yaml.at(entityNode) + "entity id '" + entity.id() + "' is used"
                        + " twice in device " + id + " (first on line " + earlier + "); entity ids must be unique"
                        + " within their device");
            }
            entities.add(entity);
        }
        return new HomeAssistantFile.Device(id, line, options, List.copyOf(entities));
    }

    /** The required {@code id:} of a device or entity, checked against {@link #ID}. */
    private static String id(YamlTree yaml, Map<String, Node> keys, Node owner, String what) {
        Node node = keys.get("id");
        if (node == null) {
            throw new HomeAssistantFileException(yaml.at(owner) + "this " + what + " has no id: give id: (lower-case"
                    + " letters, digits, _ and -)");
        }
        String id = node instanceof org.snakeyaml.engine.v2.nodes.ScalarNode scalar ? scalar.getValue() : "";
        if (!ID.matcher(id).matches()) {
            throw new HomeAssistantFileException(yaml.at(node) + what + " id '" + id + "' may contain only lower-case"
                    + " letters, digits, _ and - (it becomes part of MQTT topics and Home Assistant ids)");
        }
        return id;
    }
}
