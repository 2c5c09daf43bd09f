package dev.skynetbridge.bridge.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Home Assistant file: what it means, and one {@code file:line: problem} for each kind of mistake. */
class HomeAssistantFileParserTest {

    static final String SOURCE = "config/homeassistant.yaml";

    static HomeAssistantFile parse(String yaml) {
        return HomeAssistantFileParser.parse(SOURCE, yaml);
    }

    static String problem(String yaml) {
        try {
            parse(yaml);
        } catch (HomeAssistantFileException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a HomeAssistantFileException for:\n" + yaml);
    }

    /** A file with one device whose only entity is {@code entity} (indented as an entity's keys). */
    static String oneEntity(String entity) {
        return "devices:\n  - id: dev\n    entities:\n      - id: e\n" + entity.indent(8);
    }

    @Test
    void theShippedExampleReadsAsDocumented() {
        HomeAssistantFile file = HomeAssistantFileParser.read(Path.of("config/examples/homeassistant.yaml"),
                "config/examples/homeassistant.yaml");
        assertThat(file.bridge()).isEqualTo("default");
        assertThat(file.discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(file.devices()).extracting(HomeAssistantFile.Device::id).containsExactly("reactor", "base-door");
        HomeAssistantFile.Device reactor = file.devices().get(0);
        assertThat(reactor.options()).containsEntry("name", "Reactor computer").containsEntry("model",
                "Advanced Computer");
        HomeAssistantFile.Entity temp = reactor.entities().get(0);
        assertThat(temp.platform()).isEqualTo(HaPlatform.SENSOR);
        assertThat(temp.topics()).containsOnlyKeys("state_topic");
        assertThat(temp.topics().get("state_topic").value()).isEqualTo(Channel.of(42));
        assertThat(temp.options()).containsEntry("value_template", "{{ value_json.temp }}")
                .containsEntry("unit_of_measurement", "°C").doesNotContainKeys("id", "platform", "channel");

        HomeAssistantFile.Entity door = file.devices().get(1).entities().get(0);
        assertThat(door.platform()).isEqualTo(HaPlatform.BUTTON);
        assertThat(door.topics()).containsOnlyKeys("command_topic");
        assertThat(door.topics().get("command_topic").value()).isEqualTo(Channel.of("door"));
        assertThat(door.options()).containsEntry("payload_press", "\"open\"");

        HomeAssistantFile.Entity lights = file.devices().get(1).entities().get(2);
        assertThat(lights.topics().get("state_topic").value()).isEqualTo(Channel.of("lights"));
        assertThat(lights.topics().get("command_topic").value()).as("command_channel wins for commands")
                .isEqualTo(Channel.of("lights_cmd"));
    }

    @Test
    void defaultsForBridgeAndPrefix() {
        HomeAssistantFile file = parse(oneEntity("platform: sensor\nchannel: 1"));
        assertThat(file.bridge()).isEqualTo("default");
        assertThat(file.discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(parse("bridge: home\ndiscoveryPrefix: ha/test\ndevices: []").devices()).isEmpty();
    }

    @Test
    void channelsAreNumbersNamesOrSForcedStringsAndAQuotedNumberIsAmbiguous() {
        assertThat(channelOf("channel: 42")).isEqualTo(Channel.of(42));
        assertThat(channelOf("channel: -7")).isEqualTo(Channel.of(-7));
        assertThat(channelOf("channel: door")).isEqualTo(Channel.of("door"));
        assertThat(channelOf("channel: \"s:42\"")).isEqualTo(Channel.of("42"));
        assertThat(channelOf("channel: n:42")).isEqualTo(Channel.of(42));
        assertThat(channelOf("channel: \"on\"")).isEqualTo(Channel.of("on"));
        assertThat(problem(oneEntity("platform: sensor\nchannel: \"42\""))).isEqualTo(SOURCE + ":6: entity dev/e:"
                + " channel \"42\" is ambiguous: write 42 without quotes for the numeric channel, or s:42 for the string"
                + " channel \"42\"");
        assertThat(problem(oneEntity("platform: sensor\nchannel: \"*\""))).startsWith(SOURCE + ":6: ")
                .contains("* is every channel");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 4.5"))).startsWith(SOURCE + ":6: ")
                .contains("must be a channel number or name, not the number 4.5");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 99999999999999999999"))).startsWith(SOURCE + ":6: ")
                .contains("beyond the 64-bit");
    }

    static Channel channelOf(String line) {
        return parse(oneEntity("platform: sensor\n" + line)).devices().get(0).entities().get(0).topics()
                .get("state_topic").value();
    }

    @Test
    void anyOptionChannelBecomesThatTopic() {
        HomeAssistantFile.Entity light = parse(oneEntity("""
                platform: light
                channel: lamp
                brightness_command_channel: lamp_level
                json_attributes_channel: 7
                brightness: true
                """)).devices().get(0).entities().get(0);
        assertThat(light.topics()).containsOnlyKeys("state_topic", "command_topic", "brightness_command_topic",
                "json_attributes_topic");
        assertThat(light.topics().get("brightness_command_topic").value()).isEqualTo(Channel.of("lamp_level"));
        assertThat(light.options()).containsExactly(Map.entry("brightness", true));
        HomeAssistantFile.Entity climate = parse(oneEntity("""
                platform: climate
                current_temperature_channel: 42
                mode_command_channel: hvac
                """)).devices().get(0).entities().get(0);
        assertThat(climate.topics()).containsOnlyKeys("current_temperature_topic", "mode_command_topic");
    }

    @Test
    void yamlSyntaxErrorsNameTheLine() {
        assertThat(problem("devices:\n  - id: a\n    entities: [\n")).startsWith(SOURCE + ":")
                .contains("not valid YAML");
        assertThat(problem("devices:\n  - id: x\n   name: bad indent\n")).matches(SOURCE + ":\\d+: not valid YAML: .*");
        assertThat(problem("")).startsWith(SOURCE + ":1: the file is empty");
    }

    @Test
    void missingOrBadIdsAndDuplicates() {
        assertThat(problem("devices:\n  - name: x\n    entities: []\n")).isEqualTo(SOURCE
                + ":2: this device has no id: give id: (lower-case letters, digits, _ and -)");
        assertThat(problem("devices:\n  - id: Reactor\n")).isEqualTo(SOURCE + ":2: device id 'Reactor' may"
                + " contain only lower-case letters, digits, _ and - (it becomes part of MQTT topics and Home"
                + " Assistant ids)");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1") + "  - id: dev\n    entities:\n"
                + "      - {id: f, platform: sensor, channel: 2}\n")).isEqualTo(SOURCE + ":7: device id 'dev' is used"
                + " twice (first on line 2); device ids must be unique in the file");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1") + "      - {id: e, platform: sensor, channel: 2}\n"))
                .isEqualTo(SOURCE + ":7: entity id 'e' is used twice in device dev (first on line 4); entity ids must"
                + " be unique within their device");
        assertThat(problem("devices:\n  - id: a\n    entities:\n      - platform: sensor\n        channel: 1\n"))
                .isEqualTo(SOURCE + ":4: this entity has no id: give id: (lower-case letters, digits, _ and -)");
    }

    @Test
    void missingPlatformOrChannelAndUnknownPlatforms() {
        assertThat(problem(oneEntity("channel: 1"))).isEqualTo(SOURCE + ":4: entity dev/e: platform: is missing: give"
                + " the Home Assistant platform (sensor, binary_sensor, switch, button, ...)");
        assertThat(problem(oneEntity("platform: sensr\nchannel: 1"))).startsWith(SOURCE + ":5: entity dev/e: unknown"
                + " platform 'sensr' (did you mean 'sensor'?)");
        assertThat(problem(oneEntity("platform: tag\nchannel: 1"))).contains("use platform event");
        assertThat(problem(oneEntity("platform: sensor"))).isEqualTo(SOURCE + ":4: entity dev/e: channel: is missing:"
                + " a sensor needs the Skynet channel its state arrives on");
    }

    @Test
    void aPlatformThatNeedsACommandTopicWithoutAChannel() {
        assertThat(problem(oneEntity("platform: button\nname: Open"))).isEqualTo(SOURCE + ":4: entity dev/e: a button"
                + " needs a command topic: give channel: (the channel Home Assistant sends its commands to) or"
                + " command_channel:");
        assertThat(problem(oneEntity("platform: switch\njson_attributes_channel: 3"))).isEqualTo(SOURCE + ":4: entity"
                + " dev/e: a switch needs a command topic: give channel: (the channel Home Assistant sends its commands"
                + " to, and reads its state from) or command_channel:");
        // command_channel alone is enough for a switch: Home Assistant then runs it optimistically.
        assertThat(parse(oneEntity("platform: switch\ncommand_channel: lamp")).devices().get(0).entities().get(0)
                .topics()).containsOnlyKeys("command_topic");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\ncommand_channel: 2"))).isEqualTo(SOURCE + ":7:"
                + " entity dev/e: a sensor takes no commands: remove command_channel");
        assertThat(problem(oneEntity("platform: button\nchannel: a\ncommand_channel: b"))).startsWith(SOURCE + ":6:"
                + " entity dev/e: channel: is not used");
        assertThat(problem(oneEntity("platform: climate\nchannel: 1"))).startsWith(SOURCE + ":6: entity dev/e:"
                + " climate has no topic of its own for channel:");
    }

    @Test
    void optionsAPlatformCannotDoWithout() {
        assertThat(problem(oneEntity("platform: select\nchannel: mode"))).isEqualTo(SOURCE + ":4: entity dev/e: a"
                + " select needs options: (Home Assistant refuses it without)");
        assertThat(problem(oneEntity("platform: event\nchannel: bell"))).contains("needs event_types:");
        assertThat(problem(oneEntity("platform: humidifier\nchannel: h"))).contains("a humidifier needs"
                + " target_humidity_command_channel:");
        assertThat(parse(oneEntity("platform: select\nchannel: mode\noptions: [eco, boost]")).devices().get(0)
                .entities().get(0).options()).containsEntry("options", List.of("eco", "boost"));
    }

    @Test
    void keysTheGatewayFillsInAreRefused() {
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\nstate_topic: x/y"))).isEqualTo(SOURCE + ":7:"
                + " entity dev/e: remove 'state_topic': the gateway sets it from the bridge's topic for channel: (or"
                + " <name>_channel:)");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\nuniq_id: x"))).contains("remove 'uniq_id'");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\nobject_id: x"))).contains("default_entity_id");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\navailability_topic: x"))).contains("status topic");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\njson_attributes_channel: 2\n"
                + "json_attributes_topic: a/b"))).contains("both json_attributes_topic and json_attributes_channel");
        assertThat(problem("devices:\n  - id: d\n    identifiers: [x]\n    entities: []\n")).isEqualTo(SOURCE + ":3:"
                + " device d: remove 'identifiers': the gateway sets the device's identifiers (skynet_<bridge>_<device"
                + " id>)");
    }

    @Test
    void unknownKeysWithTheNearestKnownOne() {
        assertThat(problem("bridg: default\ndevices: []\n")).isEqualTo(SOURCE + ":1: unknown key 'bridg' (did you"
                + " mean 'bridge'?); the file has bridge:, discoveryPrefix: and devices:");
        assertThat(problem("devices:\n  - id: d\n    modle: x\n    entities: []\n")).startsWith(SOURCE + ":3: device"
                + " d: unknown device option 'modle' (did you mean 'model'?)");
        assertThat(problem("devices:\n  - id: d\n    entities: []\n")).isEqualTo(SOURCE + ":3: device d has no"
                + " entities: list them under entities:, or remove the device");
        assertThat(problem("bridge: 5\ndevices: []")).isEqualTo(SOURCE + ":1: bridge must be text, not the number 5");
        assertThat(problem("discoveryPrefix: ha/#\ndevices: []")).startsWith(SOURCE + ":1: discoveryPrefix 'ha/#'");
        assertThat(problem("bridge: default\n")).startsWith(SOURCE + ":1: devices: is missing");
        assertThat(problem(oneEntity("platform: sensor\nchannel: 1\nname: a\nname: b"))).isEqualTo(SOURCE + ":8:"
                + " 'name' is given twice in an entity");
    }
}
