package dev.skynetbridge.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access file's format and the rules' meaning, as the issue and docs/access-control.md state them. */
class AccessFileTest {

    static final String HASH = TokenHash.create("s3cret-value", TokenHash.MIN_ITERATIONS).encoded();

    /** The example of the issue, with real hashes. */
    static final String EXAMPLE = """
            tokens:
              - name: reactor                       # [A-Za-z0-9_-]+, unique
                hash: "%1$s"
                rules:
                  - { allow: readwrite, channels: [42, "s:reactor-*"] }
                  - { allow: read, channels: ["n:100-199"] }
              - name: turtle1
                hash: "%1$s"
                rules:
                  - { allow: readwrite, channels: ["s:%%n"] }   # its own channel "turtle1"
                  - { allow: write, channels: [7] }
              - name: watcher
                hash: "%1$s"
                rules:
                  - { allow: read, channels: ["*"] }          # may open "*": read on everything
                  - { allow: deny, channels: ["s:secret"] }
            anonymous:                                       # optional; absent = anonymous refused
              rules:
                - { allow: read, channels: [1] }
            """.formatted(HASH);

    static AccessPolicy parse(String text) {
        return AccessFile.parse(text, "acl.yaml");
    }

    static String problemOf(String text) {
        try {
            parse(text);
        } catch (AccessFileException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a problem in:\n" + text);
    }

    @Test
    void theIssuesExampleMeansWhatItSays() {
        AccessPolicy policy = parse(EXAMPLE);
        assertThat(policy.tokens()).containsOnlyKeys("reactor", "turtle1", "watcher");
        assertThat(policy.ruleCount()).isEqualTo(7);

        TokenRules reactor = policy.token("reactor").rules();
        assertThat(reactor.open(Channel.of(42))).isEqualTo(Decision.GRANTED);
        assertThat(reactor.send(Channel.of(42))).isEqualTo(Decision.GRANTED);
        assertThat(reactor.open(Channel.of("42"))).as("the string \"42\" is another channel")
                .isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(reactor.send(Channel.of("reactor-core"))).isEqualTo(Decision.GRANTED);
        assertThat(reactor.send(Channel.of("reactor"))).as("the prefix is reactor-").isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(reactor.open(Channel.of(100))).isEqualTo(Decision.GRANTED);
        assertThat(reactor.open(Channel.of(199))).isEqualTo(Decision.GRANTED);
        assertThat(reactor.open(Channel.of(200))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(reactor.send(Channel.of(150))).as("read only").isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(reactor.open(Channel.WILDCARD)).isEqualTo(Decision.NO_MATCHING_RULE);

        TokenRules turtle = policy.token("turtle1").rules();
        assertThat(turtle.open(Channel.of("turtle1"))).as("%n is the token's name").isEqualTo(Decision.GRANTED);
        assertThat(turtle.open(Channel.of("turtle2"))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(turtle.send(Channel.of(7))).isEqualTo(Decision.GRANTED);
        assertThat(turtle.open(Channel.of(7))).as("write only").isEqualTo(Decision.NO_MATCHING_RULE);

        TokenRules watcher = policy.token("watcher").rules();
        assertThat(watcher.open(Channel.WILDCARD)).isEqualTo(Decision.GRANTED);
        assertThat(watcher.open(Channel.of("secret"))).as("deny wins").isEqualTo(Decision.DENIED_BY_RULE);
        assertThat(watcher.receivesAsWildcard(Channel.of("secret"))).isFalse();
        assertThat(watcher.receivesAsWildcard(Channel.of(42))).isTrue();
        assertThat(watcher.hasDenyRules()).isTrue();
        assertThat(watcher.send(Channel.of(42))).as("read on everything is not write").isEqualTo(Decision.NO_MATCHING_RULE);

        assertThat(policy.anonymous().open(Channel.of(1))).isEqualTo(Decision.GRANTED);
        assertThat(policy.anonymous().open(Channel.of(2))).isEqualTo(Decision.NO_MATCHING_RULE);
    }

    @Test
    void withoutAnAnonymousBlockAnonymousIsRefused() {
        AccessPolicy policy = parse("tokens:\n  - name: a\n    hash: \"" + HASH + "\"\n    rules: []\n");
        assertThat(policy.allowsAnonymous()).isFalse();
        assertThat(policy.token("a").rules().open(Channel.of(1))).isEqualTo(Decision.NO_MATCHING_RULE);
    }

    @Test
    void channelPatternsKeepNumbersAndStringsApart() {
        TokenRules rules = parse("""
                anonymous:
                  rules:
                    - { allow: readwrite, channels: [-5, "n:8", "n:-20--10", "n:-2-2", "s:42", "door", "s:turtle-*", "lamp*"] }
                    - { allow: deny, channels: ["n:-15", "s:turtle-bad"] }
                """).anonymous();
        assertThat(rules.open(Channel.of(-5))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of(8))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of("8"))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.open(Channel.of(-20))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of(-10))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of(-9))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.open(Channel.of(-15))).isEqualTo(Decision.DENIED_BY_RULE);
        assertThat(rules.open(Channel.of(0))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of(3))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.open(Channel.of("42"))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of(42))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.open(Channel.of("door"))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of("doors"))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.open(Channel.of("turtle-7"))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of("turtle-bad"))).isEqualTo(Decision.DENIED_BY_RULE);
        assertThat(rules.open(Channel.of("lamp-hall"))).isEqualTo(Decision.GRANTED);
        assertThat(rules.open(Channel.of("lam"))).isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.open(Channel.WILDCARD)).as("no rule on \"*\"").isEqualTo(Decision.NO_MATCHING_RULE);
        assertThat(rules.send(Channel.WILDCARD)).isEqualTo(Decision.NO_MATCHING_RULE);
    }

    @Test
    void aDenyOnEverythingShutsEverythingIncludingTheWildcard() {
        TokenRules rules = parse("anonymous:\n  rules:\n    - { allow: readwrite, channels: [\"*\"] }\n"
                + "    - { allow: deny, channels: [\"*\"] }\n").anonymous();
        assertThat(rules.open(Channel.WILDCARD)).isEqualTo(Decision.DENIED_BY_RULE);
        assertThat(rules.send(Channel.of(1))).isEqualTo(Decision.DENIED_BY_RULE);
        assertThat(rules.receivesAsWildcard(Channel.of("x"))).isFalse();
    }

    @Test
    void aQuotedBareNumberIsRefusedAsAmbiguousNamingBothForms() {
        String problem = problemOf("anonymous:\n  rules:\n    - { allow: read, channels: [\"42\"] }\n");
        assertThat(problem).startsWith("acl.yaml:3: ").contains("\"42\" is ambiguous").contains("42 or \"n:42\"")
                .contains("\"s:42\"");
    }

    @Test
    void everyProblemNamesTheFileAndLine() {
        String token = "tokens:\n  - name: a\n    hash: \"" + HASH + "\"\n";
        assertThat(problemOf("tokens: 5\n")).isEqualTo("acl.yaml:1: tokens must be a list of tokens (- name: ...), not a value");
        assertThat(problemOf("token:\n  - name: a\n")).startsWith("acl.yaml:1: unknown key 'token' in the access file");
        assertThat(problemOf(token + "    rule: []\n")).startsWith("acl.yaml:4: unknown key 'rule' in a token");
        assertThat(problemOf(token + "    rules:\n      - { allow: reed, channels: [1] }\n"))
                .startsWith("acl.yaml:5: allow: 'reed' is not read, write, readwrite or deny");
        assertThat(problemOf(token + "    rules:\n      - { allow: read }\n")).startsWith("acl.yaml:5: a rule of token a"
                + " needs channels");
        assertThat(problemOf(token + "    rules:\n      - { allow: read, channels: [4.5] }\n"))
                .startsWith("acl.yaml:5: '4.5' is not a channel");
        assertThat(problemOf(token + "    rules:\n      - { allow: read, channels: [true] }\n"))
                .startsWith("acl.yaml:5: 'true' is not a channel");
        assertThat(problemOf(token + "    rules:\n      - { allow: read, channels: [\"n:9-1\"] }\n"))
                .startsWith("acl.yaml:5: the range n:9-1 is empty");
        assertThat(problemOf(token + "    rules:\n      - { allow: read, channels: [\"a*b\"] }\n"))
                .startsWith("acl.yaml:5: '*' may only end a string pattern");
        assertThat(problemOf(token + "    rules:\n      - { allow: read, channels: [99999999999999999999] }\n"))
                .startsWith("acl.yaml:5: 99999999999999999999 is beyond a 64-bit channel number");
        assertThat(problemOf(token + "    rules: []\n  - name: a\n    hash: \"" + HASH + "\"\n    rules: []\n"))
                .isEqualTo("acl.yaml:5: token name 'a' is already used at line 2");
        assertThat(problemOf("tokens:\n  - name: \"has space\"\n    hash: x\n    rules: []\n"))
                .startsWith("acl.yaml:2: token name 'has space' may only use letters, digits, - and _");
        assertThat(problemOf("tokens:\n  - name: a\n    hash: \"not-a-hash\"\n    rules: []\n"))
                .startsWith("acl.yaml:3: token a: hash is not a value printed by hash-token");
        assertThat(problemOf("tokens:\n  - name: a\n    rules: []\n")).startsWith("acl.yaml:2: token a needs a hash");
        assertThat(problemOf(token)).startsWith("acl.yaml:2: token a has no rules");
        assertThat(problemOf("anonymous:\n  rules:\n    - { allow: read, channels: [\"s:%n\"] }\n"))
                .startsWith("acl.yaml:3: %n stands for a token's name, and anonymous connections have none");
        assertThat(problemOf("tokens:\n  - name: a\n   bad indent: [\n")).startsWith("acl.yaml:").contains("not valid YAML");
        assertThat(problemOf("# nothing but a comment\n")).startsWith("acl.yaml: the access file is empty");
        assertThat(problemOf("anonymous:\n  rules:\n    - { allow: read, channels: [] }\n"))
                .startsWith("acl.yaml:3: channels: [] names no channel");
    }

    @Test
    void aMissingFileSaysWhichSettingPointsAtIt(@TempDir Path dir) {
        assertThatThrownBy(() -> AccessFile.load(dir.resolve("nope.yaml")))
                .isInstanceOf(AccessFileException.class)
                .hasMessageContaining("nope.yaml: the access file does not exist (skynet.server.acl-file");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("acl.yaml");
        Files.writeString(file, EXAMPLE);
        assertThat(AccessFile.load(file).tokens()).hasSize(3);
    }
}
