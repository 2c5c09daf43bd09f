package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The build's warm-up start (it records the class-data archive): the shipped config/ and routes/, embedded broker
 * included, come up on free ports, answer, and stop.
 */
class WarmUpCommandTest {

    @Test
    void theShippedFilesStartOnFreePortsAnswerAndStop() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new WarmUpCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run();
        assertThat(status).as("stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("warm-up: the gateway started and answered on")
                .doesNotContain(":3030").doesNotContain(":8081");
    }
}
