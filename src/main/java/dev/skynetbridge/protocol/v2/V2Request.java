package dev.skynetbridge.protocol.v2;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;

/** A request a v2 client sends: open or close a channel, or send a message. */
public sealed interface V2Request {

    record Open(Channel channel) implements V2Request {
    }

    record Close(Channel channel) implements V2Request {
    }

    /** The message is unstamped (no time, no id): the server stamps it when it accepts it. */
    record Send(SkynetMessage message) implements V2Request {
    }
}
