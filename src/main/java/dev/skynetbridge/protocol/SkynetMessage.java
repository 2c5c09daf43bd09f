package dev.skynetbridge.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One Skynet message: a channel, a payload of plain Java values (Map, List, String, Long,
 * BigInteger, Double, byte[], Boolean, null), the extra top-level keys the sender added, and,
 * once a server has stamped it, the time and a unique id.
 *
 * @param channel where it was sent
 * @param payload the {@code message} value
 * @param extras extra top-level keys in the order they were received (never null; the record
 *     takes ownership of the map and exposes it read-only, without a copy on the hot path)
 * @param time when the server accepted it, or null before that
 * @param id unique id given by the server that accepted it (v1 {@code ID}), or null
 */
public record SkynetMessage(Channel channel, Object payload, Map<String, Object> extras, Instant time, String id) {

    public SkynetMessage {
        Objects.requireNonNull(channel, "channel");
        extras = extras == null || extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(extras);
    }

    public static SkynetMessage of(Channel channel, Object payload) {
        return new SkynetMessage(channel, payload, Map.of(), null, null);
    }

    public SkynetMessage stamped(Instant newTime, String newId) {
        return new SkynetMessage(channel, payload, extras, newTime, newId);
    }
}
