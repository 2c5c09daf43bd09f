package dev.skynetbridge.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skynetbridge.protocol.nats.NKeys;
import dev.skynetbridge.server.cluster.nats.NKeySigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.time.Instant;
import java.util.Base64;

/**
 * NATS decentralized auth without {@code nsc}: operator, account and user NKeys (the JDK's Ed25519) and the v2 JWTs
 * that chain them, minted as the nats-io jwt library writes them, and the {@code .creds} file a user logs in with.
 * An operator-mode nats-server trusts the operator JWT and finds the account JWT in its {@code resolver_preload}
 * ({@link #serverConfig}).
 */
public final class NatsJwts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** What nats-io/jwt puts in every v2 JWT's header. */
    private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    /** The claims-format version nats-io/jwt v2 writes into "nats". */
    private static final int CLAIMS_VERSION = 2;

    private NatsJwts() {
    }

    /** An Ed25519 key pair in one NATS role, with its public NKey ({@code O...}, {@code A...}, {@code U...}). */
    public record Identity(NKeys.Role role, KeyPair pair, String publicKey) {

        public static Identity generate(NKeys.Role role) {
            try {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                String publicKey = NKeys.publicKey(role, NKeySigner.rawPublicKey((EdECPublicKey) pair.getPublic()));
                return new Identity(role, pair, publicKey);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM has no Ed25519", e);
            }
        }

        /** The {@code SU...} seed a user's .creds file holds. */
        public String userSeed() {
            if (role != NKeys.Role.USER) {
                throw new IllegalStateException("only a user's seed goes into a .creds file, not a " + role + "'s");
            }
            return NKeys.userSeedText(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow());
        }
    }

    /** The operator's self-signed JWT. */
    public static String operatorJwt(Identity operator, String name) {
        ObjectNode nats = JSON.createObjectNode().put("type", "operator").put("version", CLAIMS_VERSION);
        return mint(operator, operator.publicKey(), name, nats);
    }

    /**
     * An account JWT signed by the operator, with the limits nsc writes by default (-1: none). Left out, they would
     * read as 0: no subscriptions, no payload.
     */
    public static String accountJwt(Identity operator, Identity account, String name) {
        ObjectNode nats = JSON.createObjectNode();
        nats.putObject("limits").put("subs", -1).put("data", -1).put("payload", -1).put("imports", -1)
                .put("exports", -1).put("wildcards", true).put("conn", -1).put("leaf", -1);
        ObjectNode permissions = nats.putObject("default_permissions");
        permissions.putObject("pub");
        permissions.putObject("sub");
        nats.put("type", "account").put("version", CLAIMS_VERSION);
        return mint(operator, account.publicKey(), name, nats);
    }

    /**
     * A user JWT signed by the account's own key (so no "issuer_account": that names the account only when one of
     * its signing keys signs), with no limits (-1) and no permission restrictions.
     */
    public static String userJwt(Identity account, Identity user, String name) {
        ObjectNode nats = JSON.createObjectNode();
        nats.putObject("pub");
        nats.putObject("sub");
        nats.put("subs", -1).put("data", -1).put("payload", -1).put("type", "user").put("version", CLAIMS_VERSION);
        return mint(account, user.publicKey(), name, nats);
    }

    /** A .creds file as {@code nsc generate creds} writes it (the END markers have six dashes in front). */
    public static Path writeCreds(Path file, String userJwt, String userSeed) {
        String text = "-----BEGIN NATS USER JWT-----\n" + userJwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + userSeed + "\n------END USER NKEY SEED------\n\n"
                + "*************************************************************\n";
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nats-server configuration for operator mode: trust this operator, know this account, no account server. */
    public static String serverConfig(String operatorJwt, Identity account, String accountJwt) {
        return "operator: \"" + operatorJwt + "\"\n"
                + "resolver: MEMORY\n"
                + "resolver_preload: {\n  " + account.publicKey() + ": \"" + accountJwt + "\"\n}\n";
    }

    /**
     * Header and claims, base64url without padding, and the issuer's Ed25519 signature of "header.claims". The
     * standard claims come first, in the order nats-io/jwt writes them; "jti" is its hash of those claims without jti
     * (SHA-512/256 of their JSON, base32 without padding), and not of "nats".
     */
    static String mint(Identity issuer, String subject, String name, ObjectNode nats) {
        ObjectNode standard = JSON.createObjectNode().put("iat", Instant.now().getEpochSecond())
                .put("iss", issuer.publicKey()).put("name", name).put("sub", subject);
        ObjectNode claims = JSON.createObjectNode().put("jti", jti(standard));
        claims.setAll(standard);
        claims.set("nats", nats);
        String signed = base64url(HEADER) + "." + base64url(claims.toString());
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(issuer.pair().getPrivate());
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the JWT", e);
        }
    }

    static String jti(ObjectNode standardClaims) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512/256")
                    .digest(standardClaims.toString().getBytes(StandardCharsets.UTF_8));
            return NKeys.base32(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-512/256", e);
        }
    }

    private static String base64url(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
