package dev.skynetbridge.bridge.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.mqtt.ChannelTopicMapping;
import dev.skynetbridge.mqtt.MqttAvailability;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The messages for a file, checked against Home Assistant's requirements, on bridges unlike the default one. */
@SuppressWarnings("unchecked")
class DiscoveryMessagesTest {

    static final HomeAssistantFile FILE = HomeAssistantFileParser.parse("ha.yaml", """
            bridge: Home.1
            discoveryPrefix: ha
            devices:
              - id: turtle-1
                name: Mining turtle
                manufacturer: Mojang
                entities:
                  - {id: fuel, platform: sensor, channel: 7, default_entity_id: sensor.turtle_fuel}
                  - {id: dig, platform: button, channel: s:7, payload_press: '"dig"'}
            """);

    static Map<String, String> json(List<DiscoveryMessages.Message> messages) {
        Map<String, String> configs = new java.util.LinkedHashMap<>();
        messages.forEach(m -> configs.put(m.topic(), dev.skynetbridge.protocol.json.JsonValues.toJson(m.payload())));
        return configs;
    }

    @Test
    void anotherPrefixAndBridgeId() {
        ChannelTopicMapping mapping = new ChannelTopicMapping("home/skynet");
        List<DiscoveryMessages.Message> messages = DiscoveryMessages.build(FILE, new DiscoveryMessages.Bridge("Home.1",
                mapping, new MqttAvailability("home/skynet/status", "up", "down")), "1.2.3");
        assertThat(messages).extracting(DiscoveryMessages.Message::topic).containsExactly(
                "ha/binary_sensor/skynet_home_1/connection/config",
                "ha/sensor/skynet_home_1_turtle-1/fuel/config",
                "ha/button/skynet_home_1_turtle-1/dig/config");
        assertThat(HaDiscoveryRequirements.problems(json(messages), "ha", mapping, "home/skynet/status", "up")).isEmpty();
        Map<String, Object> fuel = messages.get(1).payload();
        assertThat(fuel).containsEntry("state_topic", "home/skynet/n/7")
                .containsEntry("default_entity_id", "sensor.turtle_fuel")
                .containsEntry("availability", List.of(Map.of("topic", "home/skynet/status", "payload_available", "up",
                        "payload_not_available", "down")));
        assertThat((Map<String, Object>) fuel.get("device")).containsEntry("manufacturer", "Mojang")
                .containsEntry("name", "Mining turtle").containsEntry("sw_version", "1.2.3");
        assertThat(messages.get(2).payload()).containsEntry("command_topic", "home/skynet/s/7")
                .containsEntry("default_entity_id", "button.turtle_1_dig");
    }

    @Test
    void withoutAStatusTopicThereIsNoAvailabilityNoGatewayDeviceAndNoViaDevice() {
        List<DiscoveryMessages.Message> messages = DiscoveryMessages.build(FILE, new DiscoveryMessages.Bridge("x",
                new ChannelTopicMapping("skynet"), MqttAvailability.off()), "1");
        assertThat(messages).hasSize(2);
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.payload()).doesNotContainKey("availability");
            assertThat((Map<String, Object>) m.payload().get("device")).doesNotContainKey("via_device");
        });
    }

    @Test
    void theRequirementsCheckFindsWhatHomeAssistantWouldRefuse() {
        ChannelTopicMapping mapping = new ChannelTopicMapping("skynet");
        Map<String, String> configs = new java.util.LinkedHashMap<>(); // in order: the second unique id repeats
        configs.put("homeassistant/sensor/a/config", "{\"unique_id\":\"u\",\"device\":{\"identifiers\":[\"d\"],"
                + "\"colour\":1},\"origin\":{\"name\":\"o\"},\"availability\":[{\"topic\":\"skynet/status\"}]}");
        configs.put("homeassistant/button/b/config", "{\"unique_id\":\"u\",\"command_topic\":\"other/x\",\"device\":{"
                + "\"identifiers\":[\"d\"],\"via_device\":\"gone\"},\"origin\":{}}");
        configs.put("homeassistant/sensor/c d/config", "{}");
        assertThat(HaDiscoveryRequirements.problems(configs, "homeassistant", mapping, "skynet/status", "offline"))
                .containsExactlyInAnyOrder(
                        "homeassistant/sensor/a/config: sensor requires state_topic",
                        "homeassistant/sensor/a/config: device option colour is unknown to Home Assistant",
                        "homeassistant/sensor/a/config: the status topic holds 'offline', not payload_available",
                        "homeassistant/button/b/config: unique_id missing or not unique: 'u'",
                        "homeassistant/button/b/config: command_topic other/x is no topic of the bridge's channels",
                        "homeassistant/button/b/config: origin.name missing",
                        "homeassistant/button/b/config: availability is not the bridge's status topic skynet/status",
                        "homeassistant/button/b/config: via_device gone is no published device",
                        "homeassistant/sensor/c d/config: not <prefix>/<component>/[<node_id>/]<object_id>/config");
    }
}
