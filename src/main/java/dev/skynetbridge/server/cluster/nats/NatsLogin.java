package dev.skynetbridge.server.cluster.nats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code CONNECT} a client sends: no echo, no verbose {@code +OK}s, no headers, and its login: the URL's
 * {@code user:password@} or {@code token@}, or a credentials file. A {@code .creds} file (from {@code nsc generate
 * creds}) holds a user JWT and an NKey seed: the JWT and the nonce signed with the seed are sent. A file that holds
 * only a seed ({@code SU...}, alone or between the seed markers) is an NKey login: the public key and the signature.
 * The file is read at every connection, so rotated credentials apply at the next reconnect.
 */
public final class NatsLogin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JWT = Pattern.compile("-{3,}BEGIN NATS USER JWT-{3,}\\s*\\R\\s*(\\S+)");
    private static final Pattern SEED_BLOCK = Pattern.compile("-{3,}BEGIN USER NKEY SEED-{3,}\\s*\\R\\s*(\\S+)");
    private static final Pattern SEED_LINE = Pattern.compile("(?m)^\\s*(SU[A-Z2-7]{50,})\\s*$");

    private final String clientName;
    private final String clientVersion;
    private final Path credentialsFile;

    /** @param credentialsFile a .creds or NKey seed file, or null */
    public NatsLogin(String clientName, String clientVersion, Path credentialsFile) {
        this.clientName = clientName;
        this.clientVersion = clientVersion;
        this.credentialsFile = credentialsFile;
    }

    /** The JWT and seed of a credentials file (the JWT null for an NKey seed file). */
    record Credentials(String jwt, String seed) {
    }

    /** What a CONNECT proves besides the URL's user and password or token: nothing more, an NKey, a user JWT. */
    public enum Kind { URL, NKEY, USER_JWT }

    /** A CONNECT's JSON, and which kind of login it carries (for what to check when the server refuses it). */
    public record Connect(String json, Kind kind) {
    }

    /** The CONNECT for this server and its INFO. */
    public Connect connect(NatsEndpoint endpoint, NatsServerInfo info, boolean tls) {
        ObjectNode connect = JSON.createObjectNode();
        connect.put("verbose", false).put("pedantic", false).put("tls_required", tls).put("echo", false)
                .put("name", clientName).put("lang", "java").put("version", clientVersion).put("protocol", 1)
                .put("headers", false).put("no_responders", false);
        if (endpoint.user() != null) {
            connect.put("user", endpoint.user()).put("pass", endpoint.password());
        } else if (endpoint.token() != null) {
            connect.put("auth_token", endpoint.token());
        }
        Kind kind = Kind.URL;
        if (credentialsFile != null) {
            Credentials credentials = read(credentialsFile);
            NKeySigner signer = new NKeySigner(credentials.seed());
            if (credentials.jwt() != null) {
                connect.put("jwt", credentials.jwt());
                kind = Kind.USER_JWT;
            } else {
                connect.put("nkey", signer.publicKey());
                kind = Kind.NKEY;
            }
            if (info.nonce() != null) {
                connect.put("sig", signer.sign(info.nonce().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return new Connect(connect.toString(), kind);
    }

    /** Reads a credentials file; says which part is missing or wrong. */
    static Credentials read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the NATS credentials file " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        String jwt = firstGroup(JWT, text);
        String seed = firstGroup(SEED_BLOCK, text);
        if (seed == null) {
            seed = firstGroup(SEED_LINE, text);
        }
        if (seed == null) {
            throw new IllegalArgumentException("the NATS credentials file " + file.toAbsolutePath() + " holds no user"
                    + " NKey seed (a line 'SU...' after '-----BEGIN USER NKEY SEED-----'): make it with 'nsc generate"
                    + " creds' or 'nk -gen user'");
        }
        try {
            new NKeySigner(seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the NKey seed in " + file.toAbsolutePath() + " is wrong: "
                    + e.getMessage(), e);
        }
        return new Credentials(jwt, seed);
    }

    private static String firstGroup(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }
}
