package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import java.util.List;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.junit.jupiter.api.Test;

class ChannelTopicMappingTest {

    final ChannelTopicMapping mapping = new ChannelTopicMapping("skynet");

    @Test
    void numericAndStringChannelsGetDifferentTopics() {
        assertThat(mapping.topicFor(Channel.of(42))).isEqualTo("skynet/n/42");
        assertThat(mapping.topicFor(Channel.of("42"))).isEqualTo("skynet/s/42");
        assertThat(mapping.topicFor(Channel.of(-7))).isEqualTo("skynet/n/-7");
        assertThat(mapping.channelFor("skynet/n/42")).contains(Channel.of(42));
        assertThat(mapping.channelFor("skynet/s/42")).contains(Channel.of("42"));
    }

    @Test
    void mqttSpecialCharactersAreEscapedSoANameIsOneLiteralLevel() {
        assertThat(mapping.topicFor(Channel.of("a/b"))).isEqualTo("skynet/s/a%2Fb");
        assertThat(mapping.topicFor(Channel.of("+#"))).isEqualTo("skynet/s/%2B%23");
        assertThat(mapping.topicFor(Channel.of("100%"))).isEqualTo("skynet/s/100%25");
        assertThat(mapping.topicFor(Channel.of("$SYS"))).isEqualTo("skynet/s/%24SYS");
        assertThat(mapping.topicFor(Channel.of("a$b"))).as("only a leading $ is special").isEqualTo("skynet/s/a$b");
        assertThat(mapping.topicFor(Channel.of("nul\0"))).isEqualTo("skynet/s/nul%00");
        assertThat(mapping.topicFor(Channel.of("*"))).as("messages sent TO the wildcard channel").isEqualTo("skynet/s/*");
    }

    @Test
    void everyChannelComesBackAsWhatItWas() {
        List<Channel> channels = List.of(Channel.of(0), Channel.of(Long.MIN_VALUE), Channel.of(Long.MAX_VALUE),
                Channel.of(""), Channel.of("0"), Channel.of("n"), Channel.of("a/b/c"), Channel.of("%2F"),
                Channel.of("%"), Channel.of("+"), Channel.of("#"), Channel.of("$"), Channel.of("$$x"),
                Channel.of("über/ñ 🐢"), Channel.of("sp ace"), Channel.of("*"), Channel.of("nul\0x"));
        for (Channel channel : channels) {
            String topic = mapping.topicFor(channel);
            assertThat(mapping.channelFor(topic)).as("%s via %s", channel, topic).contains(channel);
            MqttTopicValidator.validate(topic, false, true); // a valid topic name, no wildcard
            assertThat(topic.substring("skynet/s/".length())).doesNotContain("/", "+", "#");
        }
    }

    @Test
    void theWildcardListensToEveryChannelUnderThePrefix() {
        assertThat(mapping.subscriptionFor(Channel.WILDCARD)).isEqualTo("skynet/#");
        assertThat(mapping.subscriptionFor(Channel.of(42))).isEqualTo("skynet/n/42");
        assertThat(new ChannelTopicMapping("home/skynet").subscriptionFor(Channel.WILDCARD)).isEqualTo("home/skynet/#");
        assertThat(new ChannelTopicMapping("home/skynet").topicFor(Channel.of("x"))).isEqualTo("home/skynet/s/x");
        assertThat(new ChannelTopicMapping("").topicFor(Channel.of(1))).isEqualTo("n/1");
        assertThat(new ChannelTopicMapping("").subscriptionFor(Channel.WILDCARD)).isEqualTo("#");
    }

    @Test
    void topicsThisMappingNeverWritesAreRejectedWithAReason() {
        assertThat(mapping.parse("other/n/1").problem()).contains("does not start with 'skynet/'");
        assertThat(mapping.parse("skynet/n/+5").problem()).contains("canonical");
        assertThat(mapping.parse("skynet/n/05").problem()).contains("canonical");
        assertThat(mapping.parse("skynet/n/x").problem()).contains("64-bit integer");
        assertThat(mapping.parse("skynet/n/99999999999999999999").problem()).contains("64-bit integer");
        assertThat(mapping.parse("skynet/s/a/b").problem()).contains("%2F");
        assertThat(mapping.parse("skynet/s/%2").problem()).contains("two hex digits");
        assertThat(mapping.parse("skynet/s/%zz").problem()).contains("two hex digits");
        assertThat(mapping.parse("skynet/s/$SYS").problem()).contains("%24");
        assertThat(mapping.parse("skynet/x/1").problem()).contains("expected n or s");
        assertThat(mapping.parse("skynet/n").problem()).contains("expected skynet/n/<number>");
        assertThat(mapping.parse("skynet/n/1").problem()).isNull();
        assertThat(mapping.channelFor("skynet/s/%2f")).as("hex case is free").contains(Channel.of("/"));
    }

    @Test
    void aPrefixWithWildcardsIsRefused() {
        assertThatThrownBy(() -> new ChannelTopicMapping("sky/#")).hasMessageContaining("must not contain +, #");
        assertThatThrownBy(() -> new ChannelTopicMapping("sky/")).hasMessageContaining("must not start or end with /");
    }
}
