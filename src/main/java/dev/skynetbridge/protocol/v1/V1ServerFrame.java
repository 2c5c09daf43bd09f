package dev.skynetbridge.protocol.v1;

import dev.skynetbridge.protocol.SkynetMessage;
import java.util.Map;

/** What a v1 server sends a client. */
public sealed interface V1ServerFrame {

    /** A {@code message} event: another client's message on a channel this one listens to. */
    record Event(SkynetMessage message) implements V1ServerFrame {
    }

    /** A {@code result} for one of this client's commands; {@code body} is the whole object. */
    record Result(String forCommand, Map<String, Object> body) implements V1ServerFrame {
    }

    record Error(String error) implements V1ServerFrame {
    }
}
