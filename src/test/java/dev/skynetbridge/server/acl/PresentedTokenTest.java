package dev.skynetbridge.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PresentedTokenTest {

    @Test
    void aTokenIsNameColonSecretFromPathQueryOrHeader() {
        for (PresentedToken token : new PresentedToken[] {PresentedToken.from("reactor:abc", null, null),
                PresentedToken.from(null, "reactor:abc", null), PresentedToken.from(null, null, "Bearer reactor:abc"),
                PresentedToken.from(null, null, "bearer   reactor:abc "),
                PresentedToken.from("reactor:abc", "reactor:abc", "Bearer reactor:abc")}) {
            assertThat(token.problem()).isNull();
            assertThat(token.name()).isEqualTo("reactor");
            assertThat(token.secret()).isEqualTo("abc");
        }
    }

    @Test
    void noTokenAnywhereIsAnonymous() {
        assertThat(PresentedToken.from(null, null, null)).isNull();
        assertThat(PresentedToken.from("", "", "Basic xyz")).isNull();
    }

    @Test
    void thePathIsPercentDecodedButAPlusStaysAPlus() {
        PresentedToken token = PresentedToken.from("a:b%2Fc+d", null, null);
        assertThat(token.secret()).isEqualTo("b/c+d");
        assertThat(PresentedToken.from("a:bad%zz", null, null).secret()).isEqualTo("bad%zz");
    }

    @Test
    void malformedAndConflictingTokensAreProblemsThatHideTheSecret() {
        assertThat(PresentedToken.from("justasecret", null, null).problem()).isEqualTo(PresentedToken.Problem.MALFORMED);
        assertThat(PresentedToken.from(":secret", null, null).problem()).isEqualTo(PresentedToken.Problem.MALFORMED);
        assertThat(PresentedToken.from("name:", null, null).problem()).isEqualTo(PresentedToken.Problem.MALFORMED);
        assertThat(PresentedToken.from("bad name:x", null, null).problem()).isEqualTo(PresentedToken.Problem.MALFORMED);
        PresentedToken conflicting = PresentedToken.from("a:one", "a:two", null);
        assertThat(conflicting.problem()).isEqualTo(PresentedToken.Problem.CONFLICTING);
        assertThat(conflicting.toString()).doesNotContain("one").doesNotContain("two");
        assertThat(PresentedToken.from("a:hunter2", null, null).toString()).isEqualTo("token a");
    }
}
