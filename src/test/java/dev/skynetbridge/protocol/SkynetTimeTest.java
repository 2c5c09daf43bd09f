package dev.skynetbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SkynetTimeTest {

    @Test
    void formatIsExactlyInstantToString() {
        java.util.List<Instant> instants = new java.util.ArrayList<>(java.util.List.of(
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00.120Z"),
                Instant.parse("2026-01-01T00:00:00.000120Z"), Instant.parse("2026-01-01T00:00:00.000000120Z"),
                Instant.parse("2026-01-01T00:00:00.999999999Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("+12026-01-01T00:00:00.5Z"), Instant.EPOCH, Instant.MIN, Instant.MAX));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            // runs of instants in the same second (the cached date part) and jumps between seconds
            long second = 1_700_000_000L + random.nextInt(5);
            int nanos = switch (i % 3) {
                case 0 -> random.nextInt(1000) * 1_000_000;
                case 1 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(second, nanos));
        }
        for (Instant instant : instants) {
            assertThat(SkynetTime.formatRfc3339(instant)).as(instant.toString()).isEqualTo(instant.toString());
        }
    }
}
