package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionPathsTest {

    @Test
    void redactsTokensInPathsAndQueries() {
        assertThat(ConnectionPaths.redact("/connect/reactor:hunter2")).isEqualTo("/connect/<redacted>");
        assertThat(ConnectionPaths.redact("/v1/connect/reactor:hunter2")).isEqualTo("/v1/connect/<redacted>");
        assertThat(ConnectionPaths.redact("/connect/")).isEqualTo("/connect/");
        assertThat(ConnectionPaths.redact("/connect")).isEqualTo("/connect");
        assertThat(ConnectionPaths.redact("/connect?token=a:b&x=1")).isEqualTo("/connect?token=<redacted>&x=1");
        assertThat(ConnectionPaths.redact("/connect?x=1&token=a:b")).isEqualTo("/connect?x=1&token=<redacted>");
        assertThat(ConnectionPaths.redact("ws://h:3030/connect/a:b?token=c")).isEqualTo("ws://h:3030/connect/<redacted>?token=<redacted>");
        assertThat(ConnectionPaths.redact(null)).isNull();
    }

    @Test
    void pathsAndTheirProtocols() {
        assertThat(ConnectionPaths.protocolOf("/connect")).isEqualTo(ClientConnection.Protocol.UNDECIDED);
        assertThat(ConnectionPaths.protocolOf("/connect/a:b")).isEqualTo(ClientConnection.Protocol.UNDECIDED);
        assertThat(ConnectionPaths.protocolOf("/v1/connect")).isEqualTo(ClientConnection.Protocol.V1);
        assertThat(ConnectionPaths.protocolOf("/v1/connect/a:b")).isEqualTo(ClientConnection.Protocol.V1);
        assertThat(ConnectionPaths.protocolOf("/connected")).isNull();
        assertThat(ConnectionPaths.tokenPart("/connect/a:b")).isEqualTo("a:b");
        assertThat(ConnectionPaths.tokenPart("/v1/connect/a:b")).isEqualTo("a:b");
        assertThat(ConnectionPaths.tokenPart("/connect/")).isNull();
        assertThat(ConnectionPaths.tokenPart("/connect")).isNull();
    }
}
