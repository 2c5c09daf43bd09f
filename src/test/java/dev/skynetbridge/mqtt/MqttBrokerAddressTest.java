package dev.skynetbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MqttBrokerAddressTest {

    @Test
    void eachSchemeGivesItsTransportAndUsualPort() {
        assertThat(MqttBrokerAddress.parse("tcp://broker.lan:1999"))
                .isEqualTo(new MqttBrokerAddress("broker.lan", 1999, false, null));
        assertThat(MqttBrokerAddress.parse("mqtt://broker.lan")).isEqualTo(new MqttBrokerAddress("broker.lan", 1883, false, null));
        assertThat(MqttBrokerAddress.parse("ssl://broker.lan")).isEqualTo(new MqttBrokerAddress("broker.lan", 8883, true, null));
        assertThat(MqttBrokerAddress.parse("MQTTS://broker.lan:9999"))
                .isEqualTo(new MqttBrokerAddress("broker.lan", 9999, true, null));
        assertThat(MqttBrokerAddress.parse("ws://broker.lan:8080/mqtt"))
                .isEqualTo(new MqttBrokerAddress("broker.lan", 8080, false, "mqtt"));
        assertThat(MqttBrokerAddress.parse("wss://broker.lan")).isEqualTo(new MqttBrokerAddress("broker.lan", 443, true, ""));
        assertThat(MqttBrokerAddress.parse("ws://broker.lan/mqtt").webSocket()).isTrue();
        assertThat(MqttBrokerAddress.parse(" tcp://127.0.0.1:1883 ").host()).isEqualTo("127.0.0.1");
    }

    @Test
    void anUnusableUrlSaysWhatIsExpected() {
        assertThatThrownBy(() -> MqttBrokerAddress.parse("http://broker.lan"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scheme 'http'").hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> MqttBrokerAddress.parse("broker.lan:1883"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> MqttBrokerAddress.parse("tcp://"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> MqttBrokerAddress.parse(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
