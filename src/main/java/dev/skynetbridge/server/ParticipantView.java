package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;
import java.time.Instant;
import java.util.List;

/**
 * One hub member as the console shows it, copied at one moment.
 *
 * @param messagesIn messages it sent into the hub
 * @param messagesOut deliveries the hub handed to it (queued for a websocket client, dropped ones included)
 */
public record ParticipantView(long id, String kind, String address, Instant since, List<Channel> channels,
        long messagesIn, long messagesOut, int queueDepth, long dropped) {

    public ParticipantView {
        channels = List.copyOf(channels);
    }
}
