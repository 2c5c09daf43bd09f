package dev.skynetbridge.app;

import java.util.Arrays;

/**
 * The part of the gateway a setting belongs to, named by the second level of its key ({@code skynet.server.port}
 * is in {@link #SERVER}), so a new setting needs no extra declaration. The order here is the order of
 * docs/settings.md.
 */
public enum SettingSection {
    SERVER("server", "Embedded Skynet server", "The websocket server ComputerCraft computers connect to (v2 and v1)."),
    ROUTES("routes", "Routes", "Where the bridges and other Camel routes are loaded from."),
    MQTT("mqtt", "MQTT", "The MQTT broker the default bridge uses: the embedded one or an external one."),
    HOMEASSISTANT("homeassistant", "Home Assistant", "MQTT discovery: entities in Home Assistant from Skynet channels."),
    HTTP("http", "HTTP server", "The server incoming webhooks (platform-http: routes) listen on."),
    CLUSTER("cluster", "Cluster", "Several gateways serving one Skynet over NATS (docs/cluster.md)."),
    KAFKA("kafka", "Kafka", "The Kafka cluster of the Kafka archive and replay bridges."),
    MANAGEMENT("management", "Management", "Health and other endpoints for operators."),
    LOG("log", "Logging", "What the gateway writes to standard output, logger by logger.");

    private final String keyPart;
    private final String title;
    private final String summary;

    SettingSection(String keyPart, String title, String summary) {
        this.keyPart = keyPart;
        this.title = title;
        this.summary = summary;
    }

    /** The common start of the section's keys, e.g. {@code skynet.server.}. */
    public String keyPrefix() {
        return "skynet." + keyPart + ".";
    }

    public String title() {
        return title;
    }

    public String summary() {
        return summary;
    }

    /** @throws IllegalArgumentException when no section matches: add one here for a new part of the gateway */
    public static SettingSection of(String key) {
        return Arrays.stream(values()).filter(section -> key.startsWith(section.keyPrefix())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Setting " + key + " belongs to no SettingSection:"
                        + " add its skynet.<part>. to dev.skynetbridge.app.SettingSection"));
    }
}
