package dev.skynetbridge.camel;

import org.apache.camel.spi.Metadata;

/** Header names of the {@code skynet:} component. */
public final class SkynetConstants {

    @Metadata(label = "consumer", description = "The channel the message was sent on, in canonical form (n:42, s:foo).",
              javaType = "String")
    public static final String CHANNEL = "SkynetChannel";

    @Metadata(label = "consumer", description = "When the server accepted the message.", javaType = "java.time.Instant")
    public static final String TIME = "SkynetTime";

    @Metadata(label = "common", javaType = "String",
              description = "Consumer: the unique id of the message (the server's v1 ID, or one given by the gateway)."
                            + " Producer on the embedded hub: set to the id the hub gave the sent message.")
    public static final String MESSAGE_ID = "SkynetMessageId";

    @Metadata(label = "common", javaType = "java.util.Map<String, Object>",
              description = "Extra top-level keys of the message besides channel, message and time. The producer sends"
                            + " the map in this header as the message's extra keys.")
    public static final String EXTRAS = "SkynetExtras";

    @Metadata(label = "producer", description = "Send to this channel instead of the endpoint's: a Channel, a Long,"
                                                + " or text in the endpoint syntax (42, s:42, n:42, foo).",
              javaType = "Object")
    public static final String OVERRIDE_CHANNEL = "SkynetOverrideChannel";

    private SkynetConstants() {
    }
}
