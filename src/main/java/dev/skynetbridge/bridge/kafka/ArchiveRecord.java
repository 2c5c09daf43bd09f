package dev.skynetbridge.bridge.kafka;

import java.util.Map;

/**
 * One Kafka record of the archive, before it is handed to a Kafka client.
 *
 * @param key the canonical channel text ({@code n:42}, {@code s:foo}); it keeps one channel's
 *     messages in one partition, in order
 * @param value the message in the archive format
 * @param headers record headers (UTF-8 text values), in the order they are written
 * @param timestampMillis the Skynet time of the message, used as the record timestamp
 */
public record ArchiveRecord(String key, byte[] value, Map<String, String> headers, long timestampMillis) {
}
