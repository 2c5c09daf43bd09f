package dev.skynetbridge.protocol.v2;

import dev.skynetbridge.protocol.SkynetMessage;

/** What a v2 server sends a client: a pushed message or an error about the client's frame. */
public sealed interface V2ServerFrame {

    record Push(SkynetMessage message) implements V2ServerFrame {
    }

    record Error(String kind, String detail) implements V2ServerFrame {
    }
}
