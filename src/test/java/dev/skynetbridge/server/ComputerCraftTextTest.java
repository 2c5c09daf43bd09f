package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pure pieces of the installer and the connection log: redacted paths, path segments, Lua literals. */
class ComputerCraftTextTest {

    @Test
    void aTokenNeverReachesTheLog() {
        assertThat(ConnectionPaths.forLog("/connect/s3cret")).isEqualTo("/connect/<redacted>");
        assertThat(ConnectionPaths.forLog("/connect/s3cret/more")).isEqualTo("/connect/<redacted>");
        assertThat(ConnectionPaths.forLog("/connect/")).isEqualTo("/connect/");
        assertThat(ConnectionPaths.forLog("/connect")).isEqualTo("/connect");
        assertThat(ConnectionPaths.forLog("/v1/connect")).isEqualTo("/v1/connect");
        assertThat(ConnectionPaths.forLog("/skynet/connect/s3cret")).isEqualTo("/skynet/<redacted>");
        assertThat(ConnectionPaths.forLog("/x\u0001y")).isEqualTo("/x?y");
        assertThat(ConnectionPaths.forLog("/" + "a".repeat(200))).hasSize(83);
    }

    @Test
    void tokensArePercentEncodedForThePathAndLuaLiteralsAreAscii() {
        assertThat(GatewayAddress.pathSegment("abc-._~XYZ09")).isEqualTo("abc-._~XYZ09");
        assertThat(GatewayAddress.pathSegment("a b/c?é")).isEqualTo("a%20b%2Fc%3F%C3%A9");
        assertThat(ComputerCraftFiles.luaString("say \"hi\"\\\n\u00e9")).isEqualTo("\"say \\\"hi\\\"\\\\\\010\\195\\169\"");
    }
}
