package dev.skynetbridge.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which health checks the bridges view shows (and takes the state from) for a route. */
class BridgeStatesTest {

    @Test
    void camelsOwnChecksOfTheRouteBelongToIt() {
        assertThat(BridgeStates.belongs("route:lamp", "lamp", "")).isTrue();
        assertThat(BridgeStates.belongs("consumer:lamp", "lamp", "")).isTrue();
        assertThat(BridgeStates.belongs("route:lamp2", "lamp", "")).isFalse();
    }

    @Test
    void aGatewayCheckBelongsWhenItsNameIsTheRouteOrOneOfItsEndpointParameters() {
        String toMqtt = "Route(default-to-mqtt)[From[skynet:*?bridgeId=default] -> [To[skynet-mqtt:default?qos=1]]]";
        assertThat(BridgeStates.belongs("skynet-mqtt-default", "default-to-mqtt", toMqtt)).isTrue();
        assertThat(BridgeStates.belongs("skynet-mqtt-default", "default-from-mqtt", "")).isTrue();
        assertThat(BridgeStates.belongs("skynet-mqtt-other", "default-to-mqtt", toMqtt)).isFalse();
        String archive = "Route(archive)[From[kamelet:skynet-source?channel=*] -> [To[kamelet:skynet-kafka-archive-sink"
                + "?topic=skynet]]]";
        assertThat(BridgeStates.belongs("skynet-kafka-archive-skynet", "archive", archive)).isTrue();
        assertThat(BridgeStates.belongs("skynet-kafka-archive-other", "archive", archive)).isFalse();
        assertThat(BridgeStates.belongs("context", "archive", archive)).isFalse();
    }

    @Test
    void waitingMessagesAreReadFromTheChecksBufferedDetails() {
        assertThat(BridgeStates.buffered(java.util.Map.of("buffered", "3/10000", "received", 9L))).isEqualTo(3);
        assertThat(BridgeStates.buffered(java.util.Map.of("tcp://a buffered", "2/5", "tcp://b buffered", "1/5")))
                .isEqualTo(3);
        assertThat(BridgeStates.buffered(java.util.Map.of("buffered", "n/a"))).isZero();
    }
}
