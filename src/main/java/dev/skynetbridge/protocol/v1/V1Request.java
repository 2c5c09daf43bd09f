package dev.skynetbridge.protocol.v1;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;

/** A command a v1 client sends. */
public sealed interface V1Request {

    record Open(Channel channel) implements V1Request {
    }

    record Close(Channel channel) implements V1Request {
    }

    /** Unstamped: the server adds {@code ID} and {@code time}. */
    record Message(SkynetMessage message) implements V1Request {
    }

    /** Slice {@code [start, end)} of the server's log, newest first. */
    record Log(int start, int end) implements V1Request {
    }
}
