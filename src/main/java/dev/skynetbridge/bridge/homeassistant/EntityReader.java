package dev.skynetbridge.bridge.homeassistant;

import dev.skynetbridge.camel.ChannelSyntax;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.support.NearestName;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one entity of the Home Assistant file. {@code channel} stands for the platform's main topics
 * ({@link HaPlatform#mainTopicKeys()}); any {@code <name>_channel} key becomes the discovery key {@code <name>_topic}
 * with that channel's topic ({@code command_channel}, {@code json_attributes_channel}, ...); an explicit
 * {@code <name>_channel} wins over {@code channel}. Every other key is passed to Home Assistant as given, except
 * the ones the gateway fills in.
 */
final class EntityReader {

    private static final String CHANNEL_SUFFIX = "_channel";
    private static final String TOPIC_SUFFIX = "_topic";
    /** Keys (and their discovery abbreviations) the gateway fills in, with what to do instead. */
    private static final Map<String, String> FILLED_IN = filledIn();

    private final YamlTree yaml;
    private final String deviceId;

    EntityReader(YamlTree yaml, String deviceId) {
        this.yaml = yaml;
        this.deviceId = deviceId;
    }

    private static Map<String, String> filledIn() {
        Map<String, String> keys = new LinkedHashMap<>();
        String topics = "the gateway sets it from the bridge's topic for channel: (or <name>_channel:)";
        for (String key : List.of("state_topic", "stat_t", "command_topic", "cmd_t", "topic", "t", "image_topic")) {
            keys.put(key, topics);
        }
        String ids = "the gateway sets unique_id (skynet_<bridge>_<device>_<entity>) and default_entity_id";
        for (String key : List.of("unique_id", "uniq_id")) {
            keys.put(key, ids);
        }
        for (String key : List.of("object_id", "obj_id")) {
            keys.put(key, "Home Assistant replaced object_id by default_entity_id (object_id stops working in 2026.4);"
                          + " give default_entity_id: <platform>.<name> if the gateway's default does not suit you");
        }
        for (String key : List.of("device", "dev")) {
            keys.put(key, "device options belong to the device, next to its id and name");
        }
        for (String key : List.of("origin", "o")) {
            keys.put(key, "the gateway names itself as the origin");
        }
        String availability = "the gateway points availability at the bridge's status topic (statusTopic of the"
                              + " bridge)";
        for (String key : List.of("availability", "avty", "availability_topic", "avty_t", "availability_mode",
                "avty_mode", "availability_template", "avty_tpl", "payload_available", "pl_avail",
                "payload_not_available", "pl_not_avail")) {
            keys.put(key, availability);
        }
        keys.put("~", "the gateway writes full topics");
        keys.put("p", "write platform:");
        return Map.copyOf(keys);
    }

    HomeAssistantFile.Entity read(Node node, String id) {
        LinkedHashMap<String, Node> keys = yaml.mapping(node, "an entity");
        String where = "entity " + deviceId + "/" + id + ": ";
        Node platformNode = keys.get("platform");
        if (platformNode == null) {
            throw new HomeAssistantFileException(yaml.at(node) + where + "platform: is missing: give the Home"
                    + " Assistant platform (sensor, binary_sensor, switch, button, ...)");
        }
        String platformName = yaml.text(platformNode, "platform");
        HaPlatform platform = HaPlatform.byName(platformName).orElseThrow(() -> new HomeAssistantFileException(
                yaml.at(platformNode) + where + "unknown platform '" + platformName + "'"
                + NearestName.suggestion(platformName, HaPlatform.names()) + "; Home Assistant's MQTT platforms are "
                + String.join(", ", HaPlatform.names())
                + (platformName.equals("device_automation") || platformName.equals("tag")
                   ? " (device triggers and tags are not entities: use platform event)" : "")));
        HomeAssistantFile.Located<Channel> mainChannel = null;
        Map<String, HomeAssistantFile.Located<Channel>> topics = new LinkedHashMap<>();
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : keys.entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            if (key.equals("id") || key.equals("platform")) {
                continue;
            }
            if (key.equals("channel")) {
                mainChannel = new HomeAssistantFile.Located<>(channel(value, where + "channel"), YamlTree.line(value));
            } else if (key.endsWith(CHANNEL_SUFFIX) && key.length() > CHANNEL_SUFFIX.length()) {
                String topicKey = key.substring(0, key.length() - CHANNEL_SUFFIX.length()) + TOPIC_SUFFIX;
                topics.put(topicKey, new HomeAssistantFile.Located<>(channel(value, where + key),
                        YamlTree.line(value)));
            } else if (FILLED_IN.containsKey(key)) {
                throw new HomeAssistantFileException(yaml.at(value) + where + "remove '" + key + "': "
                        + FILLED_IN.get(key));
            } else {
                options.put(key, yaml.value(value));
            }
        }
        for (String topicKey : topics.keySet()) {
            if (options.containsKey(topicKey)) {
                throw new HomeAssistantFileException(yaml.at(keys.get(topicKey)) + where + "both " + topicKey + " and "
                        + channelKey(topicKey) + " are given; keep one");
            }
        }
        applyMainChannel(platform, mainChannel, topics, where);
        checkTopics(platform, topics, where, node);
        checkRequired(platform, topics, options, where, node);
        return new HomeAssistantFile.Entity(id, YamlTree.line(node), platform, Map.copyOf(new LinkedHashMap<>(topics)),
                options);
    }

    /** {@code channel:} fills each of the platform's main topics that no {@code <name>_channel} gave. */
    private void applyMainChannel(HaPlatform platform, HomeAssistantFile.Located<Channel> main,
                                  Map<String, HomeAssistantFile.Located<Channel>> topics, String where) {
        if (main == null) {
            return;
        }
        String at = yaml.at(main.line());
        if (platform.role() == HaPlatform.Role.NONE) {
            throw new HomeAssistantFileException(at + where + platform.haName() + " has no topic of its own for"
                    + " channel:; give each of its topics as <option>_channel (for example current_temperature_channel:"
                    + " 42 becomes current_temperature_topic)");
        }
        boolean used = false;
        for (String key : platform.mainTopicKeys()) {
            if (!topics.containsKey(key)) {
                topics.put(key, main);
                used = true;
            }
        }
        if (!used) {
            throw new HomeAssistantFileException(at + where + "channel: is not used: "
                    + String.join(" and ", platform.mainTopicKeys().stream().map(EntityReader::channelKey).toList())
                    + " already name every topic of a " + platform.haName() + "; remove one of them");
        }
    }

    /** A platform without commands must not get a command channel it would silently ignore. */
    private void checkTopics(HaPlatform platform, Map<String, HomeAssistantFile.Located<Channel>> topics, String where,
                             Node node) {
        HaPlatform.Role role = platform.role();
        HomeAssistantFile.Located<Channel> command = topics.get("command_topic");
        if (command != null && (role == HaPlatform.Role.STATE || role == HaPlatform.Role.TOPIC
                                || role == HaPlatform.Role.IMAGE)) {
            throw new HomeAssistantFileException(yaml.at(command.line()) + where + "a " + platform.haName()
                    + " takes no commands: remove command_channel");
        }
        if (role == HaPlatform.Role.NONE && topics.isEmpty()) {
            throw new HomeAssistantFileException(yaml.at(node) + where + "a " + platform.haName() + " has no main"
                    + " topic: give its topics as <option>_channel (for example mode_state_channel: hvac)");
        }
    }

    private void checkRequired(HaPlatform platform, Map<String, HomeAssistantFile.Located<Channel>> topics,
                               Map<String, Object> options, String where, Node node) {
        for (String required : platform.required()) {
            List<String> alternatives = List.of(required.split("\\|"));
            if (alternatives.stream().anyMatch(key -> topics.containsKey(key) || options.containsKey(key))) {
                continue;
            }
            String key = alternatives.get(0);
            String what;
            if (key.equals("command_topic")) {
                what = "a " + platform.haName() + " needs a command topic: give channel: (the channel Home Assistant"
                       + " sends its commands to" + (platform.role() == HaPlatform.Role.STATE_AND_COMMAND
                                                     ? ", and reads its state from)" : ")") + " or command_channel:";
            } else if (platform.mainTopicKeys().contains(key)) {
                what = "channel: is missing: a " + platform.haName() + " needs the Skynet channel its state arrives on";
            } else if (key.endsWith(TOPIC_SUFFIX)) {
                what = "a " + platform.haName() + " needs " + alternatives.stream().map(EntityReader::channelKey)
                        .reduce((a, b) -> a + " or " + b).orElseThrow() + ":";
            } else {
                what = "a " + platform.haName() + " needs " + key + ": (Home Assistant refuses it without)";
            }
            throw new HomeAssistantFileException(yaml.at(node) + where + what);
        }
    }

    /** A channel: a YAML number, a name, {@code s:42} for the string "42"; a quoted number is ambiguous. */
    private Channel channel(Node node, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            throw new HomeAssistantFileException(yaml.at(node) + what + " must be a channel number or name, not "
                    + YamlTree.describe(node));
        }
        Tag tag = scalar.getTag();
        if (Tag.INT.equals(tag)) {
            Object number = yaml.value(node);
            if (number instanceof BigInteger) {
                throw new HomeAssistantFileException(yaml.at(node) + what + " " + scalar.getValue() + " is beyond"
                        + " the 64-bit numbers Skynet channels are");
            }
            return Channel.of((Long) number);
        }
        if (!Tag.STR.equals(tag)) {
            throw new HomeAssistantFileException(yaml.at(node) + what + " must be a channel number or name, not "
                    + YamlTree.describe(node));
        }
        String text = scalar.getValue();
        if (text.matches("[+-]?[0-9]+")) {
            throw new HomeAssistantFileException(yaml.at(node) + what + " \"" + text + "\" is ambiguous: write "
                    + text + " without quotes for the numeric channel, or s:" + text + " for the string channel \""
                    + text + "\"");
        }
        if (text.equals("*")) {
            throw new HomeAssistantFileException(yaml.at(node) + what + " * is every channel; an entity needs one"
                    + " channel");
        }
        if (text.isEmpty() || text.equals("s:")) {
            throw new HomeAssistantFileException(yaml.at(node) + what + " is empty: give a channel number or name");
        }
        try {
            return ChannelSyntax.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HomeAssistantFileException(yaml.at(node) + what + ": " + e.getMessage());
        }
    }

    static String channelKey(String topicKey) {
        return topicKey.substring(0, topicKey.length() - TOPIC_SUFFIX.length()) + CHANNEL_SUFFIX;
    }
}
