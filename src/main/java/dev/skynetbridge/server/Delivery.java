package dev.skynetbridge.server;

import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v1.V1Codec;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.buffer.Buffer;

/**
 * A stamped message on its way to subscribers. Each wire form is encoded at most once, on first
 * use, and the same bytes are shared by every connection that speaks that protocol.
 */
public final class Delivery {

    private final SkynetMessage message;
    private final String entryNode;
    private volatile Buffer v2Frame;
    private volatile String v1Event;

    /** A message that entered on this gateway. */
    public Delivery(SkynetMessage message) {
        this(message, null);
    }

    /** @param entryNode the cluster node where the message entered, or null for this gateway */
    public Delivery(SkynetMessage message, String entryNode) {
        this.message = message;
        this.entryNode = entryNode;
    }

    public SkynetMessage message() {
        return message;
    }

    /** The id of the cluster node where the message entered Skynet; null when it entered on this gateway. */
    public String entryNode() {
        return entryNode;
    }

    /** The v2 push frame. Vert.x hands each writer its own view of the buffer, so one can be shared. */
    public Buffer v2Frame() {
        Buffer frame = v2Frame;
        if (frame == null) {
            synchronized (this) {
                frame = v2Frame;
                if (frame == null) {
                    frame = Buffer.buffer(V2Codec.encodePush(message));
                    v2Frame = frame;
                }
            }
        }
        return frame;
    }

    public String v1Event() {
        String event = v1Event;
        if (event == null) {
            synchronized (this) {
                event = v1Event;
                if (event == null) {
                    event = V1Codec.encodeEvent(message);
                    v1Event = event;
                }
            }
        }
        return event;
    }
}
