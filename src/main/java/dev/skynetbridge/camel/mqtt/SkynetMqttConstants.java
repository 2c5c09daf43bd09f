package dev.skynetbridge.camel.mqtt;

import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code skynet-mqtt:} component besides the {@code skynet:} ones it reads and
 * writes ({@code SkynetChannel}, {@code SkynetExtras}, {@code SkynetMessageId}, {@code SkynetTime} in;
 * {@code SkynetOverrideChannel}, {@code SkynetExtras} out).
 */
public final class SkynetMqttConstants {

    @Metadata(label = "consumer", description = "The MQTT topic the message arrived on.", javaType = "String")
    public static final String TOPIC = "SkynetMqttTopic";

    @Metadata(label = "consumer", description = "The MQTT 5 user properties of the received message.",
              javaType = "java.util.Map<String, String>")
    public static final String USER_PROPERTIES = "SkynetMqttUserProperties";

    @Metadata(label = "consumer", description = "Whether the broker delivered a retained message.",
              javaType = "Boolean")
    public static final String RETAINED = "SkynetMqttRetained";

    private SkynetMqttConstants() {
    }
}
