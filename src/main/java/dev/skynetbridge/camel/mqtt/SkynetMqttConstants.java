package dev.skynetbridge.camel.mqtt;

import dev.skynetbridge.camel.SkynetConstants;
import org.apache.camel.spi.Metadata;

/**
 * Header names of the {@code skynet-mqtt:} component: the {@code skynet:} headers it reads (producer) and writes
 * (consumer), repeated here so its generated docs list every header it uses, and its own MQTT ones.
 */
public final class SkynetMqttConstants {

    @Metadata(label = "producer", description = "Required: the channel of the message to publish, in canonical form"
                                                + " (n:42, s:foo), as a skynet: consumer sets it. The message goes to"
                                                + " that channel's topic.",
              javaType = "String")
    public static final String CHANNEL = SkynetConstants.CHANNEL;

    @Metadata(label = "producer", description = "The message's id (a skynet: consumer sets it): published as the"
                                                + " user property skynet-message-id.",
              javaType = "String")
    public static final String MESSAGE_ID = SkynetConstants.MESSAGE_ID;

    @Metadata(label = "producer", description = "When the Skynet server accepted the message (a skynet: consumer sets"
                                                + " it): published as the user property skynet-time.",
              javaType = "java.time.Instant")
    public static final String TIME = SkynetConstants.TIME;

    @Metadata(label = "common", description = "The message's extra top-level keys. Producer: published as JSON in the"
                                              + " user property skynet-extras. Consumer: read back from it, for the"
                                              + " skynet: producer to send.",
              javaType = "java.util.Map<String, Object>")
    public static final String EXTRAS = SkynetConstants.EXTRAS;

    @Metadata(label = "consumer", description = "The channel the topic maps back to (n:42, s:foo): a skynet: producer"
                                                + " sends the message there.",
              javaType = "String")
    public static final String OVERRIDE_CHANNEL = SkynetConstants.OVERRIDE_CHANNEL;

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
