package dev.skynetbridge.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The send box's body: the JSON type of "channel" decides its kind, and a mistake gets one message saying what to send. */
class SendRequestTest {

    @Test
    void aJsonNumberIsANumericChannelAndAJsonStringANamedOne() {
        assertThat(SendRequest.parse("{\"channel\": 42, \"payload\": {\"a\": [1, true]}}"))
                .isEqualTo(new SendRequest(Channel.of(42), Map.of("a", List.of(1L, true))));
        assertThat(SendRequest.parse("{\"channel\": \"42\", \"payload\": null}").channel()).isEqualTo(Channel.of("42"));
        assertThat(SendRequest.parse("{\"channel\": -9223372036854775808, \"payload\": 1}").channel())
                .isEqualTo(Channel.of(Long.MIN_VALUE));
    }

    @Test
    void badBodiesAreRefusedWithWhatToSend() {
        assertThatThrownBy(() -> SendRequest.parse("{\"channel\": 4.5, \"payload\": 1}"))
                .hasMessageContaining("whole number").hasMessageContaining("4.5");
        assertThatThrownBy(() -> SendRequest.parse("{\"channel\": 9223372036854775808, \"payload\": 1}"))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> SendRequest.parse("{\"payload\": 1}")).hasMessageContaining("no \"channel\"");
        assertThatThrownBy(() -> SendRequest.parse("{\"channel\": 1}")).hasMessageContaining("no \"payload\"");
        assertThatThrownBy(() -> SendRequest.parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SendRequest.parse("{")).hasMessageStartingWith("The body is not JSON")
                .hasMessageContaining(SendRequest.FORM);
    }
}
