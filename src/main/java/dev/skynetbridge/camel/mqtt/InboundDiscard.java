package dev.skynetbridge.camel.mqtt;

/** Why a bridge's consumer did not hand a message from MQTT to Skynet; each has a counter (metrics). */
public enum InboundDiscard {
    /** The bridge's own publish came back (No Local should make this 0 on a compliant broker): the loop guard. */
    OWN_MESSAGE("own_message"),
    /** The message has crossed maxHops bridges: bridges probably form a loop. */
    HOP_LIMIT("hop_limit"),
    /** The topic names no Skynet channel. */
    NOT_A_CHANNEL("not_a_channel"),
    /** The payload is not what inboundFormat expects. */
    BAD_PAYLOAD("bad_payload");

    private final String key;

    InboundDiscard(String key) {
        this.key = key;
    }

    /** Its name in metrics. */
    public String key() {
        return key;
    }
}
