package dev.skynetbridge.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.protocol.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSetTest {

    @Test
    void overlappingAndTouchingRangesMerge() {
        ChannelSet set = ChannelSet.of(List.of(new ChannelPattern.NumberRange(10, 20),
                new ChannelPattern.NumberRange(15, 30), new ChannelPattern.NumberRange(31, 40),
                new ChannelPattern.NumberRange(Long.MAX_VALUE - 1, Long.MAX_VALUE),
                new ChannelPattern.NumberRange(Long.MIN_VALUE, Long.MIN_VALUE + 1)));
        for (long inside : new long[] {10, 20, 25, 30, 31, 40, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(set.contains(Channel.of(inside))).as("%d", inside).isTrue();
        }
        for (long outside : new long[] {9, 41, 0, Long.MAX_VALUE - 2, Long.MIN_VALUE + 2}) {
            assertThat(set.contains(Channel.of(outside))).as("%d", outside).isFalse();
        }
    }

    @Test
    void prefixesOfSeveralLengths() {
        ChannelSet set = ChannelSet.of(List.of(new ChannelPattern.TextPrefix("a"),
                new ChannelPattern.TextPrefix("turtle-"), new ChannelPattern.Text("x")));
        assertThat(set.contains(Channel.of("abc"))).isTrue();
        assertThat(set.contains(Channel.of("turtle-9"))).isTrue();
        assertThat(set.contains(Channel.of("turtle"))).isFalse();
        assertThat(set.contains(Channel.of("x"))).isTrue();
        assertThat(set.contains(Channel.of("xy"))).isFalse();
        assertThat(set.contains(Channel.WILDCARD)).as("the wildcard is matched only by \"*\"").isFalse();
        assertThat(ChannelSet.of(List.of(new ChannelPattern.TextPrefix(""))).contains(Channel.of("any"))).isTrue();
        assertThat(ChannelSet.of(List.of(new ChannelPattern.TextPrefix(""))).contains(Channel.of(1))).isFalse();
    }
}
