package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad cluster setting as a user meets it: one line from validate, the same at start-up, no password shown. */
class ClusterSettingsTest {

    private static final Map<String, String> BAD_URL = Map.of("skynet.cluster.nats-url",
            "nats://127.0.0.1:1, http://user:hunter2@nats.example:1");

    @Test
    void validateNamesTheBadNatsUrlAndTheSetting(@TempDir Path routes) {
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder(routes.toString(), BAD_URL);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).contains("must look like nats://host:port").contains("skynet.cluster.nats-url")
                .doesNotContain("hunter2");
    }

    @Test
    void validateRefusesASendLingerOutOfRange(@TempDir Path routes) {
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder(routes.toString(),
                Map.of("skynet.cluster.nats-url", "nats://127.0.0.1:1", "skynet.cluster.send-linger-ms", "500"));
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).contains("send linger must be 0 to 100 ms, got 500").contains("skynet.cluster");
    }

    @Test
    void validateRefusesAnAnnounceIntervalOutOfRange(@TempDir Path routes) {
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder(routes.toString(),
                Map.of("skynet.cluster.nats-url", "nats://127.0.0.1:1", "skynet.cluster.announce-interval-ms", "50"));
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).contains("skynet.cluster.announce-interval-ms) must be 100 to 60000 ms, got 50");
    }

    @Test
    void startUpStopsWithTheSameLine() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of(), BAD_URL))
                .satisfies(error -> assertThat(StartupProblem.describe(error, null))
                        .contains("must look like nats://host:port").contains("skynet.cluster.nats-url")
                        .doesNotContain("hunter2"));
    }
}
