package dev.skynetbridge.bridge.homeassistant;

import dev.skynetbridge.protocol.Channel;
import java.util.List;
import java.util.Map;

/**
 * What {@code config/homeassistant.yaml} declares, as {@link HomeAssistantFileParser} read and checked it. Every
 * part keeps its line, so later checks (the bridge exists, its channels) can point at it.
 *
 * @param source          the file as the user named it, for messages
 * @param bridge          id of the MQTT bridge whose broker and topics are used
 * @param bridgeLine      line of {@code bridge:} (1 when it was left out)
 * @param discoveryPrefix Home Assistant's discovery prefix
 * @param devices         in file order
 */
record HomeAssistantFile(String source, String bridge, int bridgeLine, String discoveryPrefix, List<Device> devices) {

    static final String DEFAULT_BRIDGE = "default";
    static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";

    /**
     * One Home Assistant device (one computer, say).
     *
     * @param options the Home Assistant device options given (name, model, suggested_area, ...), in file order
     */
    record Device(String id, int line, Map<String, Object> options, List<Entity> entities) {
    }

    /**
     * One entity of a device.
     *
     * @param topics  the discovery keys that name topics ({@code state_topic}, {@code command_topic},
     *                {@code json_attributes_topic}, ...) and the Skynet channel each one is, in file order
     * @param options every other key, passed to Home Assistant as given
     */
    record Entity(String id, int line, HaPlatform platform, Map<String, Located<Channel>> topics,
                  Map<String, Object> options) {
    }

    /** A value and the line it is on. */
    record Located<T>(T value, int line) {
    }

    /** {@code file:line: } for a message. */
    String at(int line) {
        return source + ":" + line + ": ";
    }

    int entityCount() {
        return devices.stream().mapToInt(device -> device.entities().size()).sum();
    }
}
