package dev.skynetbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void aBurstThenTheRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10, 5, now::get);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(1)).isTrue();
        }
        assertThat(bucket.tryTake(1)).isFalse();
        now.addAndGet(100_000_000); // 0.1 s: one token at 10/s
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
        now.addAndGet(10_000_000_000L); // long idle: never more than the burst
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(1)).isTrue();
        }
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void takingMoreThanIsThereTakesNothing() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(100, 100, now::get);
        assertThat(bucket.tryTake(150)).isFalse();
        assertThat(bucket.tryTake(100)).isTrue();
    }
}
