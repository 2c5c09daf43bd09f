package dev.skynetbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedWarningTest {

    final AtomicLong now = new AtomicLong(1_000);
    final RateLimitedWarning warning = new RateLimitedWarning(LoggerFactory.getLogger(RateLimitedWarningTest.class),
            100, now::get);

    @Test
    void theFirstIsLoggedAndRepeatsWithinTheIntervalAreOnlyCounted() {
        assertThat(warning.warn("dropped {}", 1)).isTrue();
        now.addAndGet(50);
        assertThat(warning.warn("dropped {}", 2)).isFalse();
        assertThat(warning.warn("dropped {}", 3)).isFalse();
        now.addAndGet(50);
        assertThat(warning.warn("dropped {}", 4)).as("due again after the interval").isTrue();
        assertThat(warning.warn("dropped {}", 5)).isFalse();
    }
}
