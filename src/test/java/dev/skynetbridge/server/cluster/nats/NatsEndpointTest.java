package dev.skynetbridge.server.cluster.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NATS URLs: schemes, default port, credentials, what the logs show, announced servers. */
class NatsEndpointTest {

    @Test
    void aUrlGivesItsServerTlsAndLogin() {
        assertThat(NatsEndpoint.parse("nats://h")).isEqualTo(new NatsEndpoint(false, "h", 4222, null, null, null));
        assertThat(NatsEndpoint.parse("TLS://h:1")).isEqualTo(new NatsEndpoint(true, "h", 1, null, null, null));
        assertThat(NatsEndpoint.parse("nats://u:p%40ss@h:2")).isEqualTo(new NatsEndpoint(false, "h", 2, "u", "p@ss",
                null));
        assertThat(NatsEndpoint.parse("nats://tok@h:2").token()).isEqualTo("tok");
        assertThat(NatsEndpoint.parse("nats://u:secret@h:2")).hasToString("nats://***@h:2");
    }

    @Test
    void websocketAndOtherSchemesAreRefusedWithWhatToWriteInstead() {
        assertThatThrownBy(() -> NatsEndpoint.parse("ws://h:8080")).hasMessageContaining("not to its websocket port")
                .hasMessageContaining("nats://host:4222");
        assertThatThrownBy(() -> NatsEndpoint.parse("wss://u:pw@h:443")).hasMessageNotContaining("pw");
        assertThatThrownBy(() -> NatsEndpoint.parse("http://h:1")).hasMessageContaining("must look like nats://");
    }

    @Test
    void anAnnouncedServerKeepsTheTlsAndLoginOfTheOneThatAnnouncedIt() {
        NatsEndpoint first = NatsEndpoint.parse("tls://u:p@a:14222");
        NatsEndpoint announced = first.announced("10.0.0.2:4223");
        assertThat(announced).isEqualTo(new NatsEndpoint(true, "10.0.0.2", 4223, "u", "p", null));
        assertThat(first.announced("[::1]:4224").host()).isEqualTo("::1");
        assertThat(List.of(first).stream().anyMatch(known -> known.sameServer(NatsEndpoint.parse("nats://A:14222"))))
                .isTrue();
    }
}
