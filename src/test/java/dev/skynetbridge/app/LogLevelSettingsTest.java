package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.support.logging.LogLevels;
import dev.skynetbridge.testsupport.GatewayProcess;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** skynet.log.level and skynet.log.levels: what the gateway writes, a bad value named with its setting. */
class LogLevelSettingsTest {

    private static GatewaySettings withEnvironment(Map<String, String> environment) {
        return new GatewaySettings(key -> Optional.empty(), environment);
    }

    @Test
    void theGatewayAtInfoAndLibrariesAtWarnUnlessSet() {
        LogLevels defaults = withEnvironment(Map.of()).logLevels();
        assertThat(defaults.thresholdOf("dev.skynetbridge.mqtt.MqttLink")).isEqualTo(Level.INFO.toInt());
        assertThat(defaults.thresholdOf("com.hivemq.Broker")).isEqualTo(Level.WARN.toInt());
        LogLevels set = withEnvironment(Map.of("SKYNET_LOG_LEVEL", "debug", "SKYNET_LOG_LEVELS", "com.hivemq=ERROR"))
                .logLevels();
        assertThat(set.thresholdOf("org.apache.camel.main.Main")).isEqualTo(Level.DEBUG.toInt());
        assertThat(set.thresholdOf("com.hivemq.Broker")).isEqualTo(Level.ERROR.toInt());
    }

    @Test
    void aBadValueNamesTheSettingItsVariableAndWhatIsExpected() {
        assertThatThrownBy(() -> withEnvironment(Map.of("SKYNET_LOG_LEVEL", "LOUD")).logLevels())
                .hasMessage("Setting skynet.log.level (env SKYNET_LOG_LEVEL) is 'LOUD'; expected TRACE, DEBUG, INFO,"
                        + " WARN, ERROR or OFF");
        assertThatThrownBy(() -> withEnvironment(Map.of("SKYNET_LOG_LEVELS", "com.hivemq=LOUD")).logLevels())
                .hasMessage("Setting skynet.log.levels (env SKYNET_LOG_LEVELS) is 'com.hivemq=LOUD'; expected"
                        + " name=LEVEL pairs, comma-separated, e.g. com.hivemq=DEBUG,root=WARN (com.hivemq: 'LOUD' is"
                        + " not a level; use TRACE, DEBUG, INFO, WARN, ERROR or OFF)");
    }

    @Test
    void validateReportsABadLevel() {
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder("routes",
                Map.of("skynet.log.level", "LOUD"));
        assertThat(outcome.status()).isNotZero();
        assertThat(outcome.err()).contains("skynet.log.level (env SKYNET_LOG_LEVEL) is 'LOUD'");
    }

    @Test
    void aGatewayProcessWritesDebugLinesOnlyWhenAskedTo() {
        Pattern debugLine = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\d [\\d:.]+ DEBUG ");
        try (GatewayProcess debug = GatewayProcess.launch("log-debug", Map.of("SKYNET_LOG_LEVEL", "DEBUG"));
             GatewayProcess quiet = GatewayProcess.launch("log-info", Map.of())) {
            debug.awaitHealthy();
            quiet.awaitHealthy();
            assertThat(debugLine.matcher(debug.logText()).find()).as(debug.logText()).isTrue();
            assertThat(debugLine.matcher(quiet.logText()).find()).as(quiet.logText()).isFalse();
            assertThat(quiet.logText()).as("no line of SLF4J's own about finding its backend")
                    .doesNotContain("SLF4J");
        }
    }
}
