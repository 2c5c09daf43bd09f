package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.server.acl.AccessFile;
import dev.skynetbridge.server.acl.AccessPolicy;
import dev.skynetbridge.testsupport.AccessFiles;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.TestSecrets;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access file and limits as a user meets them: settings, validate, start-up, the hash-token verb. */
class AccessControlSettingsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void captureLogs() {
        LogCapture.install();
    }

    @AfterAll
    static void noSecretWasLogged() {
        TestSecrets.assertNoneLogged();
    }

    Path aclWithAProblem() {
        Path file = dir.resolve("acl.yaml");
        AccessFiles.write(file, new AccessFiles().tokenYaml("reactor", "{ allow: read, channels: [\"42\"] }"), "");
        return file;
    }

    @Test
    void validateReportsAProblemInTheAccessFileAsFileLineProblem(@TempDir Path routes) {
        Path file = aclWithAProblem();
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder(routes.toString(),
                Map.of("skynet.server.acl-file", file.toString()));
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err().trim()).isEqualTo("INVALID: " + file + ":5: \"42\" is ambiguous: write 42 or \"n:42\""
                + " for the number 42, or \"s:42\" for the string \"42\"");
    }

    @Test
    void startUpStopsOnAProblemInTheAccessFileWithTheSameLine() {
        Path file = aclWithAProblem();
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of(), Map.of("skynet.server.acl-file", file.toString())))
                .satisfies(error -> assertThat(StartupProblem.describe(error, null))
                        .isEqualTo(file + ":5: \"42\" is ambiguous: write 42 or \"n:42\" for the number 42, or \"s:42\""
                                + " for the string \"42\""));
    }

    @Test
    void theGatewayServesTokensFromTheAccessFileSetting() throws Exception {
        AccessFiles files = new AccessFiles();
        Path file = dir.resolve("acl.yaml");
        AccessFiles.write(file, files.tokenYaml("turtle1", "{ allow: readwrite, channels: [\"s:%n\"] }"), "");
        Vertx vertx = Vertx.vertx();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of(), Map.of("skynet.server.acl-file", file.toString(),
                "skynet.server.limit.connections-per-address", "1"))) {
            try (RawWebSocket turtle = RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/" + files.token("turtle1"))) {
                assertThat(RawWebSocket.upgradeStatus(vertx, gateway.skynetPort(), "/connect/turtle1:wrong", false,
                        Map.of())).as("the per-address limit of the settings").isEqualTo(429);
                assertThat(turtle.isClosed()).isFalse();
            }
            org.awaitility.Awaitility.await().until(() -> RawWebSocket.upgradeStatus(vertx, gateway.skynetPort(),
                    "/connect/turtle1:wrong", false, Map.of()) == 401);
            assertThat(RawWebSocket.upgradeStatus(vertx, gateway.skynetPort(), "/connect/", false, Map.of())).isEqualTo(401);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void limitSettingsAreChecked() {
        GatewaySettings settings = new GatewaySettings(key -> java.util.Optional.empty(),
                Map.of("SKYNET_SERVER_LIMIT_BYTE_BURST", "1000"));
        assertThatThrownBy(settings::serverOptions).hasMessage("Invalid setting: skynet.server.limit.byte-burst (1000)"
                + " must be at least skynet.server.max-frame-size (131072): a message of the largest size could never be"
                + " sent");
        GatewaySettings negative = new GatewaySettings(key -> java.util.Optional.empty(),
                Map.of("SKYNET_SERVER_LIMIT_CONNECTIONS", "-1"));
        assertThatThrownBy(negative::serverOptions).hasMessageContaining("skynet.server.limit.connections must be 0 (no"
                + " limit) or more, got -1");
        GatewaySettings words = new GatewaySettings(key -> java.util.Optional.empty(),
                Map.of("SKYNET_SERVER_LIMIT_MESSAGES_PER_SECOND", "lots"));
        assertThatThrownBy(words::serverOptions).hasMessageContaining("SKYNET_SERVER_LIMIT_MESSAGES_PER_SECOND");
    }

    record Run(int status, String out, String err) {
    }

    static Run hashToken(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new HashTokenCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hashTokenPrintsAHashLineTheAccessFileTakesAndNeverTheSecret() {
        String secret = TestSecrets.create();
        Run run = hashToken("", "--iterations", "5000", secret);
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("hash: \"pbkdf2-sha256$5000$").endsWith("\"\n");
        assertThat(run.out() + run.err()).doesNotContain(secret);
        AccessPolicy policy = AccessFile.parse("tokens:\n  - name: reactor\n    " + run.out().trim()
                + "\n    rules: []\n", "acl.yaml");
        assertThat(policy.token("reactor").hash().verify(secret)).isTrue();
        assertThat(run.err()).contains("/connect/<name>:<secret>");
    }

    @Test
    void hashTokenReadsTheSecretFromStandardInputAndWarnsAboutShortOnes() {
        Run run = hashToken("short\n", "-");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("hash: \"pbkdf2-sha256$210000$");
        assertThat(run.err()).contains("fewer than 16 characters");
        assertThat(run.out() + run.err()).doesNotContain("short\n").doesNotContain("\"short\"");
    }

    @Test
    void hashTokenRefusesWhatCannotRideInAUrl() {
        assertThat(hashToken("", "a:b").status()).isEqualTo(2);
        assertThat(hashToken("", "with space").err()).contains("use letters, digits and . _ ~ - only");
        assertThat(hashToken("").err()).contains("no secret given");
        assertThat(hashToken("", "--iterations", "10", "abcdefghijklmnopq").err()).contains("iteration count must be");
    }
}
