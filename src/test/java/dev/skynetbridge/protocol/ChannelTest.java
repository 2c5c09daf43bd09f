package dev.skynetbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.camel.ChannelSyntax;
import org.junit.jupiter.api.Test;

class ChannelTest {

    @Test
    void numbersAndStringsAreDifferentChannels() {
        assertThat(Channel.of(5)).isNotEqualTo(Channel.of("5"));
        assertThat(Channel.of(5)).isEqualTo(Channel.of(5L)).hasSameHashCodeAs(Channel.of(5));
        assertThat(Channel.of("*").isWildcard()).isTrue();
        assertThat(Channel.of("**").isWildcard()).isFalse();
    }

    @Test
    void canonicalTextRoundTrips() {
        for (Channel channel : new Channel[] {Channel.of(42), Channel.of(-1), Channel.of(Long.MIN_VALUE),
                Channel.of("42"), Channel.of("s:x"), Channel.of(""), Channel.WILDCARD, Channel.of("café/#")}) {
            assertThat(Channel.parseCanonical(channel.canonical())).isEqualTo(channel);
        }
        assertThat(Channel.of(42).canonical()).isEqualTo("n:42");
        assertThat(Channel.of("42").canonical()).isEqualTo("s:42");
        assertThatThrownBy(() -> Channel.parseCanonical("42")).hasMessageContaining("n:<integer> or s:<name>");
        assertThatThrownBy(() -> Channel.parseCanonical("n:4x")).hasMessageContaining("64-bit integer");
    }

    @Test
    void uriSyntaxTellsNumbersFromStrings() {
        assertThat(ChannelSyntax.parse("42")).isEqualTo(Channel.of(42));
        assertThat(ChannelSyntax.parse("-7")).isEqualTo(Channel.of(-7));
        assertThat(ChannelSyntax.parse("s:42")).isEqualTo(Channel.of("42"));
        assertThat(ChannelSyntax.parse("n:42")).isEqualTo(Channel.of(42));
        assertThat(ChannelSyntax.parse("foo")).isEqualTo(Channel.of("foo"));
        assertThat(ChannelSyntax.parse("*")).isEqualTo(Channel.WILDCARD);
        assertThatThrownBy(() -> ChannelSyntax.parse("99999999999999999999999"))
                .hasMessageContaining("write s:99999999999999999999999 for a string channel");
    }
}
