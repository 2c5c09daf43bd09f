package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wrong Kamelet property values that pass the type check (the value is text, but not a good one) stop the
 * gateway at start-up with a message that names the value and the fix.
 */
class KafkaKameletParametersTest {

    static String archive(String parameter, String value) {
        return KafkaRoutes.archive("bad-archive", "127.0.0.1:1", "t", "*", java.util.Map.of(parameter, value));
    }

    static String replay(String parameters) {
        return KafkaRoutes.replay("bad-replay", "127.0.0.1:1", "t", "g", java.util.Map.of())
                .replace("        groupId: \"g\"\n", "        groupId: \"g\"\n" + parameters);
    }

    @Test
    void aSendWindowBelowOneIsNamed() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-archive", archive("sendWindow", "0"))))
                .rootCause().hasMessageContaining("sendWindow must be at least 1, got 0");
    }

    @Test
    void aReplayStartTimeThatIsNotATimeIsNamed() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay("""
                        startTime: "last tuesday"
                """)))).rootCause().hasMessageContaining("'last tuesday'").hasMessageContaining("RFC 3339");
    }

    @Test
    void aReplayStartOffsetThatIsNotAnOffsetIsNamed() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay("""
                        startOffset: -3
                """)))).rootCause().hasMessageContaining("startOffset '-3'").hasMessageContaining("0 or more");
    }

    @Test
    void aReplayFromTheEndWithAStartTimeIsRefused() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay("""
                        from: end
                        startTime: "2026-11-20T18:00:00Z"
                """)))).rootCause().hasMessageContaining("from=end cannot be combined with startOffset or startTime");
    }
}
