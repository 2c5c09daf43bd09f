package dev.skynetbridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.testsupport.GatewayUnderTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wrong template parameters stop the gateway at start-up with a message that names the value and the fix. */
class KafkaTemplateParametersTest {

    static String archive(String format) {
        return """
                - templatedRoute:
                    routeTemplateRef: skynet-kafka-archive
                    parameters:
                      - name: brokers
                        value: "127.0.0.1:1"
                      - name: topic
                        value: "t"
                      - name: format
                        value: "%s"
                """.formatted(format);
    }

    @Test
    void anUnknownArchiveFormatIsNamed() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-archive", archive("avro"))))
                .rootCause().hasMessageContaining("'avro'").hasMessageContaining("use cbor");
    }

    @Test
    void aReplayStartTimeThatIsNotATimeIsNamed() {
        String replay = """
                - templatedRoute:
                    routeTemplateRef: skynet-kafka-replay
                    parameters:
                      - name: brokers
                        value: "127.0.0.1:1"
                      - name: topic
                        value: "t"
                      - name: groupId
                        value: "g"
                      - name: startTime
                        value: "last tuesday"
                """;
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay)))
                .rootCause().hasMessageContaining("'last tuesday'").hasMessageContaining("RFC 3339");
    }

    static String replay(String parameters) {
        return """
                - templatedRoute:
                    routeTemplateRef: skynet-kafka-replay
                    parameters:
                      - name: brokers
                        value: "127.0.0.1:1"
                      - name: topic
                        value: "t"
                      - name: groupId
                        value: "g"
                """ + parameters;
    }

    @Test
    void aReplayStartOffsetThatIsNotAnOffsetIsNamed() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay("""
                      - name: startOffset
                        value: "-3"
                """)))).rootCause().hasMessageContaining("startOffset '-3'").hasMessageContaining("0 or more");
    }

    @Test
    void aReplayFromTheEndWithAStartTimeIsRefused() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay("""
                      - name: from
                        value: "end"
                      - name: startTime
                        value: "2026-11-20T18:00:00Z"
                """)))).rootCause().hasMessageContaining("from=end cannot be combined with startOffset or startTime");
    }

    @Test
    void anUnknownReplayFromIsNamed() {
        assertThatThrownBy(() -> GatewayUnderTest.start(Map.of("bad-replay", replay("""
                      - name: from
                        value: "latest"
                """)))).rootCause().hasMessageContaining("from 'latest'").hasMessageContaining("beginning or end");
    }
}
