package dev.skynetbridge.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSubjectsTest {

    private final ClusterSubjects subjects = new ClusterSubjects("skynet");

    @Test
    void numbersAndStringsGetTheirOwnSubjectsSoFiveIsNotTheStringFive() {
        assertThat(subjects.subjectOf(Channel.of(5))).isEqualTo("skynet.n.5");
        assertThat(subjects.subjectOf(Channel.of("5"))).isEqualTo("skynet.s.5");
        assertThat(subjects.subjectOf(Channel.of(-12))).isEqualTo("skynet.n.-12");
        assertThat(subjects.subjectOf(Channel.WILDCARD)).isEqualTo("skynet.w");
        assertThat(subjects.everything()).isEqualTo("skynet.>");
    }

    @Test
    void everyNameIsOneSafeTokenAndComesBack() {
        List<String> names = List.of("door", "", "a.b", ">", "**", "a b", "%", "%41", "x.>", "d\u00e9j\u00e0 \u6f22\u5b57",
                "\ud83d\ude00", "tab\there", "5", "-", "_");
        for (String name : names) {
            String subject = subjects.subjectOf(Channel.of(name));
            String token = subject.substring("skynet.s.".length());
            assertThat(token).as(name).isNotEmpty().matches("[A-Za-z0-9_%-]+");
            assertThat(subjects.channelOf(subject)).as(name).contains(Channel.of(name));
        }
        assertThat(subjects.subjectOf(Channel.of("a.b"))).isEqualTo("skynet.s.a%2Eb");
        assertThat(subjects.channelOf("skynet.n.5")).contains(Channel.of(5));
        assertThat(subjects.channelOf("skynet.w")).contains(Channel.WILDCARD);
    }

    @Test
    void theNodeAnnouncementsSubjectIsNoChannelsOfAnyPrefixAndOutsideEverything() {
        assertThat(subjects.nodes()).isEqualTo("skynet~nodes");
        assertThat(subjects.channelOf(subjects.nodes())).isEmpty();
        assertThat(subjects.nodes()).doesNotStartWith("skynet.");
        // A nested prefix whose channels might look like it: none of their subjects has a "~" anywhere.
        for (String prefix : List.of("skynet", "skynet.s", "a.skynet", "skynet.n")) {
            ClusterSubjects other = new ClusterSubjects(prefix);
            for (Channel channel : List.of(Channel.of("skynet~nodes"), Channel.of("nodes"), Channel.of("~"),
                    Channel.of(1), Channel.WILDCARD, Channel.of("x".repeat(300)))) {
                assertThat(other.subjectOf(channel)).as(prefix + " " + channel).doesNotContain("~")
                        .isNotEqualTo(subjects.nodes());
            }
        }
        assertThat(new ClusterSubjects("home.skynet").nodes()).isEqualTo("home.skynet~nodes");
    }

    @Test
    void aVeryLongNameTravelsUnderItsHash() {
        String name = "x".repeat(ClusterSubjects.MAX_TOKEN_LENGTH + 1);
        String subject = subjects.subjectOf(Channel.of(name));
        assertThat(subject).startsWith("skynet.h.").hasSize("skynet.h.".length() + 64);
        assertThat(subjects.subjectOf(Channel.of(name))).isEqualTo(subject);
        assertThat(subjects.channelOf(subject)).isEmpty();
    }

    @Test
    void aPrefixMustBeSubjectTokens() {
        assertThat(new ClusterSubjects("home.skynet").subjectOf(Channel.of(1))).isEqualTo("home.skynet.n.1");
        assertThatThrownBy(() -> new ClusterSubjects("sky net")).hasMessageContaining("NATS subject tokens");
        assertThatThrownBy(() -> new ClusterSubjects("sky.>")).hasMessageContaining("NATS subject tokens");
    }
}
