package dev.skynetbridge.support.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class GatewayLoggingTest {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final GatewayLogging logging = new GatewayLogging(LogLevels.DEFAULTS,
            new PrintStream(written, true, StandardCharsets.UTF_8));

    private String output() {
        return written.toString(StandardCharsets.UTF_8);
    }

    @Test
    void slf4jLogsThroughThisBackendInTheTestJvm() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(GatewayLogging.class);
        assertThat(GatewayLogging.active()).isNotNull();
    }

    @Test
    void writesOneLinePerEventWithTimeLevelShortNameAndMessage() {
        Logger log = logging.getLogger("dev.skynetbridge.mqtt.MqttLink");
        log.info("link to {} up after {} ms", "tcp://b:1883", 12);
        log.warn("lost", new IllegalStateException("broker went away"));
        String[] lines = output().split("\\R");
        assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  MqttLink - link to"
                + " tcp://b:1883 up after 12 ms");
        assertThat(lines[1]).endsWith(" WARN  MqttLink - lost");
        assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: broker went away");
        assertThat(lines[3]).contains("at dev.skynetbridge.support.logging.GatewayLoggingTest");
    }

    @Test
    void theDefaultsShowTheGatewayAndCamelAtInfoAndLibrariesFromWarn() {
        logging.getLogger("dev.skynetbridge.server.SkynetServer").info("gateway info");
        logging.getLogger("org.apache.camel.main.MainSupport").info("camel info");
        logging.getLogger("com.hivemq.Broker").info("hivemq info");
        logging.getLogger("com.hivemq.Broker").warn("hivemq warn");
        logging.getLogger("dev.skynetbridge.server.SkynetServer").debug("gateway debug");
        assertThat(output()).contains("gateway info", "camel info", "hivemq warn")
                .doesNotContain("hivemq info", "gateway debug");
        assertThat(logging.getLogger("io.netty.Foo").isInfoEnabled()).isFalse();
        assertThat(logging.getLogger("dev.skynetbridge.Foo").isDebugEnabled()).isFalse();
    }

    @Test
    void aNameCoversTheDottedNamesBelowItAndTheLongestWins() {
        LogLevels levels = LogLevels.parse("debug", " com.hivemq = TRACE , com.hivemq.client=ERROR, root=off ");
        assertThat(levels.thresholdOf("dev.skynetbridge.x.Y")).isEqualTo(Level.DEBUG.toInt());
        assertThat(levels.thresholdOf("org.apache.camel.Z")).isEqualTo(Level.DEBUG.toInt());
        assertThat(levels.thresholdOf("com.hivemq.mqtt.Broker")).isEqualTo(Level.TRACE.toInt());
        assertThat(levels.thresholdOf("com.hivemq.client.Foo")).isEqualTo(Level.ERROR.toInt());
        assertThat(levels.thresholdOf("com.hivemqx.Foo")).isEqualTo(LogLevels.OFF);
        assertThat(levels.thresholdOf("io.netty.Bar")).isEqualTo(LogLevels.OFF);
        assertThat(levels.describe()).contains("com.hivemq=TRACE", "dev.skynetbridge=DEBUG").last()
                .isEqualTo("root=OFF");
    }

    @Test
    void newLevelsApplyToLoggersMadeBefore() {
        Logger hivemq = logging.getLogger("com.hivemq.Broker");
        assertThat(hivemq.isDebugEnabled()).isFalse();
        logging.configure(LogLevels.parse("", "com.hivemq=DEBUG"));
        assertThat(hivemq.isDebugEnabled()).isTrue();
        hivemq.debug("now shown");
        assertThat(output()).contains("DEBUG Broker - now shown");
    }

    @Test
    void aBadLevelSaysWhichPartAndWhatIsExpected() {
        assertThatThrownBy(() -> LogLevels.parse("LOUD", ""))
                .hasMessage("'LOUD' is not a level; use TRACE, DEBUG, INFO, WARN, ERROR or OFF");
        assertThatThrownBy(() -> LogLevels.parse("", "com.hivemq=verbose"))
                .hasMessageStartingWith("com.hivemq: 'verbose' is not a level");
        assertThatThrownBy(() -> LogLevels.parse("", "com.hivemq")).hasMessage("'com.hivemq' is not name=LEVEL");
    }

    @Test
    void aDivertedLoggerSendsItsEventsToTheListenerWithTheirArgumentsAndNotToTheConsole() throws Exception {
        List<LogEvent> taken = new ArrayList<>();
        Logger events = logging.getLogger("event.message-dropped");
        assertThat(events.isDebugEnabled()).isFalse();
        try (AutoCloseable diversion = logging.divert("event.message-dropped", Level.DEBUG, taken::add)) {
            assertThat(events.isDebugEnabled()).as("on for the listener, below the console's WARN").isTrue();
            assertThat(events.isTraceEnabled()).isFalse();
            events.debug("Outgoing publish message was dropped. Receiving client: {}, topic: {}, qos: {}, reason: {}.",
                    "sub-1", "skynet/n/1", 1, "The client message queue is full");
            events.warn("a warning of that logger is taken too");
            assertThat(logging.diverts("event.message-dropped")).isTrue();
            assertThatThrownBy(() -> logging.divert("event.message-dropped", Level.WARN, taken::add))
                    .isInstanceOf(IllegalStateException.class);
            // A logger below the diverted name is not diverted: the name is exact.
            logging.getLogger("event.message-dropped.other").warn("not diverted");
        }
        assertThat(taken).hasSize(2);
        assertThat(taken.get(0).arguments()).containsExactly("sub-1", "skynet/n/1", 1,
                "The client message queue is full");
        assertThat(taken.get(0).message()).contains("Receiving client: sub-1, topic: skynet/n/1");
        assertThat(output()).doesNotContain("dropped", "taken too").contains("not diverted");
        assertThat(events.isDebugEnabled()).as("closed: as configured again").isFalse();
    }

    @Test
    void observersSeeEveryEventThatIsOnAndEnableAllFromTurnsOnLowerLevelsOnlyForThem() throws Exception {
        List<String> seen = new ArrayList<>();
        Logger netty = logging.getLogger("io.netty.Channel");
        try (AutoCloseable observer = logging.observe(event -> seen.add(event.level() + " " + event.message()))) {
            netty.debug("off");
            try (AutoCloseable all = logging.enableAllFrom(Level.TRACE)) {
                netty.trace("trace {}", 1);
            }
            netty.trace("off again");
            netty.error("error");
        }
        netty.error("after the observer");
        assertThat(seen).containsExactly("TRACE trace 1", "ERROR error");
        assertThat(output()).doesNotContain("trace 1").contains("ERROR Channel - error", "after the observer");
    }

    @Test
    void theTimeIsTheLocalTimeJavaTimeGivesForEveryKindOfDay() {
        for (String zone : List.of("UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati")) {
            sameTimesAsJavaTime(java.util.TimeZone.getTimeZone(zone));
        }
    }

    private void sameTimesAsJavaTime(java.util.TimeZone timeZone) {
        ConsoleLogWriter writer = new ConsoleLogWriter(new PrintStream(written, true, StandardCharsets.UTF_8),
                timeZone);
        java.time.format.DateTimeFormatter expected = java.time.format.DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm:ss.SSS");
        java.time.ZoneId zone = timeZone.toZoneId();
        java.util.Random random = new java.util.Random(42);
        List<Long> instants = new ArrayList<>(List.of(0L, -1L, 951_782_400_000L /* 2000-02-29 */,
                4_107_542_399_999L /* 2100-02-28 23:59:59.999 UTC */, 1_798_761_599_999L, System.currentTimeMillis()));
        for (int i = 0; i < 10_000; i++) {
            instants.add(random.nextLong(-2_208_988_800_000L, 7_258_118_400_000L)); // 1900 to 2200
        }
        for (long millis : instants) {
            StringBuilder line = new StringBuilder();
            writer.appendLocalTime(line, millis);
            assertThat(line.toString()).as("%d in %s", millis, zone)
                    .isEqualTo(expected.format(java.time.Instant.ofEpochMilli(millis).atZone(zone)));
        }
    }
}
