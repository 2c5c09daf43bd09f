package dev.skynetbridge.bridge.homeassistant;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Home Assistant MQTT entity platforms an entity may use, with the topics each one has and the options it
 * cannot do without (Home Assistant's MQTT integration refuses the discovery message otherwise). From the
 * platforms' schemas in Home Assistant's MQTT integration (2025/2026): read-write platforms require
 * {@code command_topic} and read {@code state_topic} when given; sensors require {@code state_topic}.
 *
 * <p>{@code channel} in the file stands for the platform's main topics: the state topic, the command topic or both
 * (see {@link Role}). Not here, on purpose: {@code device_automation} and {@code tag}, which are not entities (no
 * unique id, no availability); an {@code event} entity covers "a message from the computer triggers an automation".
 */
enum HaPlatform {

    ALARM_CONTROL_PANEL("alarm_control_panel", Role.STATE_AND_COMMAND, List.of("state_topic", "command_topic")),
    BINARY_SENSOR("binary_sensor", Role.STATE, List.of("state_topic")),
    BUTTON("button", Role.COMMAND, List.of("command_topic")),
    CAMERA("camera", Role.TOPIC, List.of("topic")),
    CLIMATE("climate", Role.NONE, List.of()),
    COVER("cover", Role.STATE_AND_COMMAND, List.of()),
    DATE("date", Role.STATE_AND_COMMAND, List.of("command_topic")),
    DATETIME("datetime", Role.STATE_AND_COMMAND, List.of("command_topic")),
    DEVICE_TRACKER("device_tracker", Role.STATE, List.of()),
    EVENT("event", Role.STATE, List.of("state_topic", "event_types")),
    FAN("fan", Role.STATE_AND_COMMAND, List.of("command_topic")),
    HUMIDIFIER("humidifier", Role.STATE_AND_COMMAND, List.of("command_topic", "target_humidity_command_topic")),
    IMAGE("image", Role.IMAGE, List.of("image_topic|url_topic")),
    LAWN_MOWER("lawn_mower", Role.NONE, List.of()),
    LIGHT("light", Role.STATE_AND_COMMAND, List.of("command_topic")),
    LOCK("lock", Role.STATE_AND_COMMAND, List.of("command_topic")),
    NOTIFY("notify", Role.COMMAND, List.of("command_topic")),
    NUMBER("number", Role.STATE_AND_COMMAND, List.of("command_topic")),
    SCENE("scene", Role.COMMAND, List.of("command_topic")),
    SELECT("select", Role.STATE_AND_COMMAND, List.of("command_topic", "options")),
    SENSOR("sensor", Role.STATE, List.of("state_topic")),
    SIREN("siren", Role.STATE_AND_COMMAND, List.of("command_topic")),
    SWITCH("switch", Role.STATE_AND_COMMAND, List.of("command_topic")),
    TEXT("text", Role.STATE_AND_COMMAND, List.of("command_topic")),
    TIME("time", Role.STATE_AND_COMMAND, List.of("command_topic")),
    UPDATE("update", Role.STATE_AND_COMMAND, List.of()),
    VACUUM("vacuum", Role.STATE_AND_COMMAND, List.of()),
    VALVE("valve", Role.STATE_AND_COMMAND, List.of()),
    WATER_HEATER("water_heater", Role.NONE, List.of());

    /** Which of the platform's topics {@code channel} stands for. */
    enum Role {
        /** {@code state_topic}: the computer reports, Home Assistant shows. */
        STATE,
        /** {@code command_topic}: Home Assistant sends, the computer acts. */
        COMMAND,
        /** Both: state read from the channel, commands sent to it (or to {@code command_channel}). */
        STATE_AND_COMMAND,
        /** {@code topic} (camera). */
        TOPIC,
        /** {@code image_topic} (image). */
        IMAGE,
        /** No main topic (climate, water_heater, lawn_mower): each topic is given as {@code <option>_channel}. */
        NONE
    }

    private static final Map<String, HaPlatform> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(HaPlatform::haName, Function.identity()));

    private final String haName;
    private final Role role;
    /** Keys the discovery message must have; {@code a|b} means one of them. */
    private final List<String> required;

    HaPlatform(String haName, Role role, List<String> required) {
        this.haName = haName;
        this.role = role;
        this.required = required;
    }

    /** The platform's name in Home Assistant and in discovery topics ({@code binary_sensor}). */
    String haName() {
        return haName;
    }

    Role role() {
        return role;
    }

    List<String> required() {
        return required;
    }

    /** The topic keys {@code channel} fills, in order (empty for {@link Role#NONE}). */
    List<String> mainTopicKeys() {
        return switch (role) {
            case STATE -> List.of("state_topic");
            case COMMAND -> List.of("command_topic");
            case STATE_AND_COMMAND -> List.of("state_topic", "command_topic");
            case TOPIC -> List.of("topic");
            case IMAGE -> List.of("image_topic");
            case NONE -> List.of();
        };
    }

    static Optional<HaPlatform> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    static List<String> names() {
        return Arrays.stream(values()).map(HaPlatform::haName).toList();
    }
}
