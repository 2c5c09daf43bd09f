package dev.skynetbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfOneToTenThousandAreWithinTheBucketPrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 10_000; v++) {
            histogram.record(v);
        }
        assertThat(histogram.count()).isEqualTo(10_000);
        assertThat(histogram.min()).isEqualTo(1);
        assertThat(histogram.max()).isEqualTo(10_000);
        assertThat(histogram.mean()).isCloseTo(5000.5, within(0.001));
        // Reported as the top of the bucket: never below the true value, at most 1/64 above it.
        assertThat(histogram.valueAtPercentile(50)).isBetween(5000L, 5000L + 5000 / 64);
        assertThat(histogram.valueAtPercentile(99)).isBetween(9900L, 9900L + 9900 / 64);
        assertThat(histogram.valueAtPercentile(99.9)).isBetween(9990L, 10_000L);
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(10_000);
    }

    @Test
    void smallValuesAreExactAndBucketsCoverEveryLong() {
        for (long v = 0; v < 128; v++) {
            assertThat(LatencyHistogram.highestInBucket(LatencyHistogram.indexOf(v))).isEqualTo(v);
        }
        long[] samples = {128, 129, 255, 256, 1_000_003, 1L << 40, Long.MAX_VALUE};
        for (long v : samples) {
            int index = LatencyHistogram.indexOf(v);
            long top = LatencyHistogram.highestInBucket(index);
            assertThat(top).isGreaterThanOrEqualTo(v);
            assertThat(top - v).isLessThanOrEqualTo(v / 64);
            if (index > 0) {
                assertThat(LatencyHistogram.highestInBucket(index - 1)).isLessThan(v);
            }
        }
    }

    @Test
    void mergeAddsCountsAndEmptyHistogramReportsZero() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        assertThat(a.valueAtPercentile(99)).isZero();
        a.record(10);
        b.record(1_000);
        b.record(-5); // clock skew cannot produce a negative bucket
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.min()).isZero();
        assertThat(a.max()).isEqualTo(1_000);
    }

    @Test
    void probeReadsChannelAndTimestampFromARealPush() {
        for (long channel : new long[] {5, 1000, 70_000, 5_000_000_000L}) {
            byte[] payload = ByteBuffer.allocate(16).putLong(123_456_789_012L).array();
            SkynetMessage message = new SkynetMessage(Channel.of(channel), payload, Map.of(),
                    Instant.parse("2024-01-02T03:04:05.678Z"), "id");
            PushProbe probe = new PushProbe();
            assertThat(probe.read(Buffer.buffer(V2Codec.encodePush(message)))).isTrue();
            assertThat(probe.channel).isEqualTo(channel);
            assertThat(probe.sentNanos).isEqualTo(123_456_789_012L);
        }
    }

    @Test
    void probeRejectsPushesItCannotRead() {
        PushProbe probe = new PushProbe();
        SkynetMessage text = SkynetMessage.of(Channel.of("kitchen"), new byte[16]);
        assertThat(probe.read(Buffer.buffer(V2Codec.encodePush(text)))).isFalse();
        SkynetMessage withExtra = new SkynetMessage(Channel.of(7), new byte[16], Map.of("from", "x"), null, null);
        assertThat(probe.read(Buffer.buffer(V2Codec.encodePush(withExtra)))).isFalse();
        assertThat(probe.read(Buffer.buffer(V2Codec.encodeError("nope")))).isFalse();
    }
}
