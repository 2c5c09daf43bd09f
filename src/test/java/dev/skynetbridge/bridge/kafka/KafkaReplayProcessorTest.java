package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.camel.SkynetConstants;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where a replay starts and what it skips, on exchanges shaped as camel-kafka hands them over. */
class KafkaReplayProcessorTest {

    static CamelContext context;

    @BeforeAll
    static void start() {
        context = new DefaultCamelContext();
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
    }

    static Exchange record(long offset, SkynetMessage message) {
        ArchiveRecord record = ArchiveRecordCodec.encode(message, ArchiveValueFormat.CBOR);
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(record.value());
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        record.headers().forEach((k, v) -> exchange.getMessage().setHeader(k, v.getBytes(StandardCharsets.UTF_8)));
        return exchange;
    }

    static SkynetMessage at(String time, Channel channel) {
        return new SkynetMessage(channel, "p", Map.of(), Instant.parse(time), null);
    }

    @Test
    void startOffsetStartTimeAndChannelSkipRecords() {
        KafkaReplayProcessor replay = new KafkaReplayProcessor();
        replay.setStartOffset("2");
        replay.setStartTime("2026-01-01T12:00:00+01:00");
        replay.setChannel("7");

        Exchange early = record(1, at("2026-02-01T00:00:00Z", Channel.of(7)));
        replay.process(early);
        assertThat(early.isRouteStop()).as("offset 1 < startOffset 2").isTrue();

        Exchange old = record(5, at("2026-01-01T10:59:59Z", Channel.of(7)));
        replay.process(old);
        assertThat(old.isRouteStop()).as("before 11:00Z").isTrue();

        Exchange otherChannel = record(6, at("2026-01-01T11:00:00Z", Channel.of("7")));
        replay.process(otherChannel);
        assertThat(otherChannel.isRouteStop()).as("s:7 is not channel 7").isTrue();

        Exchange wanted = record(7, at("2026-01-01T11:00:00Z", Channel.of(7)));
        replay.process(wanted);
        assertThat(wanted.isRouteStop()).isFalse();
        assertThat(wanted.getMessage().getBody()).isEqualTo("p");
        assertThat(wanted.getMessage().getHeader(SkynetConstants.OVERRIDE_CHANNEL)).isEqualTo("n:7");
        assertThat(replay.getReplayedCount()).isEqualTo(1);
        assertThat(replay.getSkippedCount()).isEqualTo(3);
    }

    @Test
    void recordsThatAreNotArchiveRecordsAreSkippedAndCounted() {
        KafkaReplayProcessor replay = new KafkaReplayProcessor();
        Exchange foreign = new DefaultExchange(context);
        foreign.getMessage().setBody("{\"temperature\":21}".getBytes(StandardCharsets.UTF_8));
        replay.process(foreign);
        assertThat(foreign.isRouteStop()).isTrue();
        assertThat(replay.getInvalidCount()).isEqualTo(1);
        assertThat(replay.getReplayedCount()).isZero();
    }

    @Test
    void aStartTimeThatIsNotRfc3339SaysHowToWriteIt() {
        assertThatThrownBy(() -> new KafkaReplayProcessor().setStartTime("yesterday"))
                .hasMessageContaining("'yesterday'").hasMessageContaining("2026-11-20T18:00:00Z");
    }
}
