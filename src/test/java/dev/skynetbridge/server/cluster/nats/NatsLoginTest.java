package dev.skynetbridge.server.cluster.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skynetbridge.protocol.nats.NKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CONNECT's fields: no echo, no verbose, no headers, and the login. A .creds file (the layout 'nsc generate creds'
 * writes) sends its JWT and the nonce signed with its seed; NatsClientTest logs in with one to an operator-mode
 * nats-server.
 */
class NatsLoginTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NatsServerInfo INFO = new NatsServerInfo("id", 1024, "bm9uY2U-xyz", false, true, List.of());

    @TempDir
    Path dir;

    @Test
    void theConnectSaysNoEchoAndCarriesTheUrlsLogin() throws Exception {
        JsonNode withUser = connect(new NatsLogin("gw", "1", null), NatsEndpoint.parse("nats://u:p@h"));
        assertThat(withUser.get("echo").asBoolean()).isFalse();
        assertThat(withUser.get("verbose").asBoolean()).isFalse();
        assertThat(withUser.get("headers").asBoolean()).isFalse();
        assertThat(withUser.get("protocol").asInt()).isEqualTo(1);
        assertThat(withUser.get("name").asText()).isEqualTo("gw");
        assertThat(withUser.get("user").asText()).isEqualTo("u");
        assertThat(withUser.get("pass").asText()).isEqualTo("p");
        JsonNode withToken = connect(new NatsLogin("gw", "1", null), NatsEndpoint.parse("nats://t0k@h"));
        assertThat(withToken.get("auth_token").asText()).isEqualTo("t0k");
        assertThat(withToken.has("user")).isFalse();
        assertThat(new NatsLogin("gw", "1", null).connect(NatsEndpoint.parse("nats://t0k@h"), INFO, false).kind())
                .isEqualTo(NatsLogin.Kind.URL);
    }

    @Test
    void aCredsFileSendsItsJwtAndTheNonceSignedWithItsSeed() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String seed = NKeys.userSeedText(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow());
        Path creds = dir.resolve("user.creds");
        Files.writeString(creds, "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJVIn0.c2ln\n"
                + "------END NATS USER JWT------\n\n************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n\n"
                + "*************************************************************\n");
        NatsLogin login = new NatsLogin("gw", "1", creds);
        assertThat(login.connect(NatsEndpoint.parse("nats://h"), INFO, false).kind())
                .isEqualTo(NatsLogin.Kind.USER_JWT);
        JsonNode connect = connect(login, NatsEndpoint.parse("nats://h"));
        assertThat(connect.get("jwt").asText()).isEqualTo("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJVIn0.c2ln");
        assertThat(connect.has("nkey")).as("a JWT login names no nkey").isFalse();
        String signatureText = connect.get("sig").asText();
        assertThat(signatureText).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(INFO.nonce().getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(signatureText))).isTrue();
    }

    @Test
    void aFileWithoutASeedSaysWhatIsMissing() throws Exception {
        Path creds = dir.resolve("broken.creds");
        Files.writeString(creds, "-----BEGIN NATS USER JWT-----\neyJ.x.y\n------END NATS USER JWT------\n");
        assertThatThrownBy(() -> NatsLogin.read(creds)).hasMessageContaining("holds no user NKey seed");
    }

    private static JsonNode connect(NatsLogin login, NatsEndpoint endpoint) throws Exception {
        return JSON.readTree(login.connect(endpoint, INFO, false).json());
    }
}
