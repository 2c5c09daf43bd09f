package dev.skynetbridge.bridge.kafka;

import dev.skynetbridge.camel.ChannelSyntax;
import dev.skynetbridge.camel.SkynetConstants;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.SkynetTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay step of the {@code skynet-kafka-replay} template: turns an archive record back into
 * the original Skynet message, so the following {@code skynet:} producer sends the original
 * payload and extra keys on the original channel ({@code SkynetOverrideChannel}). The server
 * gives the replayed message a new time and id.
 *
 * <p>Records before {@code startOffset} (in every partition) or with a Skynet time before
 * {@code startTime}, and records of other channels than {@code channel}, are skipped: the
 * consumer reads from the beginning and this step picks where the replay starts. Records that
 * are not archive records are skipped with one warning each, naming topic, partition and offset.
 */
public class KafkaReplayProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReplayProcessor.class);

    private Channel channel = Channel.WILDCARD;
    private long startOffset;
    private Instant startTime;
    private final LongAdder replayed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder invalid = new LongAdder();

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Long offset = in.getHeader(KafkaConstants.OFFSET, Long.class);
        if (offset != null && offset < startOffset) {
            skip(exchange);
            return;
        }
        SkynetMessage message;
        try {
            message = ArchiveRecordFormat.decode(in.getBody(byte[].class), textHeaders(in));
        } catch (ProtocolException e) {
            invalid.increment();
            LOG.warn("Kafka replay: record at topic {} partition {} offset {} is not a Skynet archive record ({}); skipped",
                    in.getHeader(KafkaConstants.TOPIC), in.getHeader(KafkaConstants.PARTITION), offset, e.getMessage());
            exchange.setRouteStop(true);
            return;
        }
        if ((startTime != null && (message.time() == null || message.time().isBefore(startTime)))
                || (!channel.isWildcard() && !channel.equals(message.channel()))) {
            skip(exchange);
            return;
        }
        replayed.increment();
        in.setBody(message.payload());
        in.setHeader(SkynetConstants.OVERRIDE_CHANNEL, message.channel().canonical());
        in.setHeader(SkynetConstants.EXTRAS, message.extras());
    }

    private void skip(Exchange exchange) {
        skipped.increment();
        exchange.setRouteStop(true);
    }

    /** The skynet-* record headers as text (camel-kafka hands header values over as bytes). */
    private static Map<String, String> textHeaders(Message in) {
        Map<String, String> headers = new HashMap<>();
        in.getHeaders().forEach((key, value) -> {
            if (key.startsWith("skynet-")) {
                headers.put(key, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                        : String.valueOf(value));
            }
        });
        return headers;
    }

    /** Only this channel ({@code 42}, {@code s:foo}, ...); {@code *} (default) replays all. */
    public void setChannel(String channel) {
        this.channel = channel == null || channel.isBlank() ? Channel.WILDCARD : ChannelSyntax.parse(channel.trim());
    }

    /** Skip records at lower offsets (in every partition). */
    public void setStartOffset(long startOffset) {
        this.startOffset = startOffset;
    }

    /** Skip records whose Skynet time is earlier: RFC 3339 ({@code 2026-11-20T18:00:00Z}); empty for none. */
    public void setStartTime(String startTime) {
        if (startTime == null || startTime.isBlank()) {
            this.startTime = null;
            return;
        }
        Instant parsed = SkynetTime.parseRfc3339(startTime.trim());
        if (parsed == null) {
            throw new IllegalArgumentException("Kafka replay startTime '" + startTime
                    + "' is not an RFC 3339 time; write it like 2026-11-20T18:00:00Z");
        }
        this.startTime = parsed;
    }

    public long getReplayedCount() {
        return replayed.sum();
    }

    public long getSkippedCount() {
        return skipped.sum();
    }

    public long getInvalidCount() {
        return invalid.sum();
    }
}
