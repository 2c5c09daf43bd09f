package dev.skynetbridge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterUpToTheMaximumAndResets() {
        Backoff backoff = new Backoff(100, 1000);
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            long delay = backoff.nextDelayMillis();
            assertThat(delay).isBetween(ceiling / 2, ceiling);
        }
        assertThat(backoff.attempts()).isEqualTo(ceilings.length);
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
    }

    @Test
    void manyAttemptsNeverOverflow() {
        Backoff backoff = new Backoff(1, 30_000);
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.nextDelayMillis()).isBetween(0L, 30_000L);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(0, 10)).hasMessageContaining("1 <= initial <= max");
        assertThatThrownBy(() -> new Backoff(100, 10)).hasMessageContaining("1 <= initial <= max");
    }
}
