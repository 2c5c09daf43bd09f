package dev.skynetbridge.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenHashTest {

    @Test
    void verifiesTheSecretItWasMadeFromAndNothingElse() {
        TokenHash hash = TokenHash.create("correct horse", 2000);
        assertThat(hash.verify("correct horse")).isTrue();
        assertThat(hash.verify("correct hors")).isFalse();
        assertThat(hash.verify("")).isFalse();
    }

    @Test
    void theTextFormKeepsTheIterationCountAndReadsBack() {
        TokenHash hash = TokenHash.create("s", 3000);
        String text = hash.encoded();
        assertThat(text).startsWith("pbkdf2-sha256$3000$").doesNotContain("=");
        TokenHash read = TokenHash.parse(text);
        assertThat(read).isEqualTo(hash);
        assertThat(read.iterations()).isEqualTo(3000);
        assertThat(read.verify("s")).isTrue();
    }

    @Test
    void theSaltDiffersEveryTime() {
        assertThat(TokenHash.create("same", 1000).encoded()).isNotEqualTo(TokenHash.create("same", 1000).encoded());
    }

    @Test
    void badTextFormsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> TokenHash.parse("my-plain-secret")).hasMessageNotContaining("my-plain-secret")
                .hasMessageContaining("not a value printed by hash-token");
        assertThatThrownBy(() -> TokenHash.parse("pbkdf2-sha256$12$AAAAAAAAAAA$AAAA"))
                .hasMessageContaining("iteration count must be");
        assertThatThrownBy(() -> TokenHash.parse("pbkdf2-sha256$5000$!!$AAAA")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> TokenHash.parse("pbkdf2-sha256$5000$AAAAAAAAAAA$AAAA")).hasMessageContaining("wrong length");
    }

    @Test
    void toStringNeverShowsTheKey() {
        TokenHash hash = TokenHash.create("s", 1000);
        String key = hash.encoded().substring(hash.encoded().lastIndexOf('$') + 1);
        assertThat(hash.toString()).doesNotContain(key);
    }
}
