package dev.skynetbridge.server.cluster.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.nats.NKeys;
import dev.skynetbridge.testsupport.NatsJwts;
import dev.skynetbridge.testsupport.NatsJwts.Identity;
import dev.skynetbridge.testsupport.NatsServer;
import dev.skynetbridge.testsupport.SelfSignedPem;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NATS client against a real nats-server: logins (user and password, token, NKey, a .creds file's user JWT on an
 * operator-mode server with JWTs minted here: no nsc), TLS (tls:// and a server that
 * requires it on nats://), max_payload, the server's PINGs, our PINGs to a server that hangs, a server restart.
 */
class NatsClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Vertx vertx;
    private NatsServer nats;
    private NatsConnector connector;
    private final Events events = new Events();
    /** A second client with the same login, publishing what the first should receive. */
    private NatsConnector publisher;
    private final Events publisherEvents = new Events();
    private String url;
    private Path credentials;
    private Path caFile;

    /** What the connector reported, in order. */
    private static final class Events implements NatsConnector.Listener {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile NatsConnection connection;

        @Override
        public void connected(NatsConnection opened, boolean again) {
            connection = opened;
            opened.subscribe("test.>");
            seen.add(again ? "reconnected" : "connected");
        }

        @Override
        public void attemptFailed(NatsEndpoint endpoint, String why, boolean refused) {
            seen.add((refused ? "refused: " : "failed: ") + why);
        }

        @Override
        public void lost(NatsConnection lost, String why) {
            seen.add("lost: " + why);
        }

        @Override
        public void message(String subject, byte[] payload) {
            messages.add(subject + " " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void serverError(String text) {
            seen.add("error: " + text);
        }

        boolean saw(String prefix) {
            return seen.stream().anyMatch(event -> event.startsWith(prefix));
        }
    }

    @BeforeEach
    void setUp() {
        NatsServer.assumeAvailable();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (NatsConnector open : new NatsConnector[] {connector, publisher}) {
            if (open != null) {
                open.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        if (nats != null) {
            nats.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void connect(String url, Path credentials, Path caFile, long pingMillis) {
        this.url = url;
        this.credentials = credentials;
        this.caFile = caFile;
        connector = new NatsConnector(vertx, List.of(NatsEndpoint.parse(url)), new NatsLogin("test", "0", credentials),
                caFile, pingMillis, events);
        connector.start();
    }

    /** Connected, subscribed, and a message published by another client arrives. */
    private void awaitMessagesFlow(String text) {
        await().atMost(WAIT).until(() -> connector.connection() != null);
        if (publisher == null) {
            publisher = new NatsConnector(vertx, List.of(NatsEndpoint.parse(url)), new NatsLogin("publisher", "0",
                    credentials), caFile, 30_000, publisherEvents);
            publisher.start();
        }
        await().atMost(WAIT).until(() -> {
            NatsConnection sending = publisher.connection();
            if (sending != null) {
                sending.publish("test.probe", text.getBytes(StandardCharsets.UTF_8));
            }
            return events.messages.contains("test.probe " + text);
        });
    }

    @Test
    void aUserAndPasswordLogIn() throws Exception {
        nats = NatsServer.withUser("gw", "p@ss word").start();
        connect("nats://gw:p%40ss%20word@127.0.0.1:" + nats.port(), null, null, 30_000);
        awaitMessagesFlow("with a password");
        assertThat(connector.connection().endpoint().toString()).doesNotContain("word").contains("***@");
    }

    @Test
    void aWrongPasswordIsRefusedWithTheServersWordsAndWhatToCheck() {
        nats = NatsServer.withUser("gw", "right").start();
        connect("nats://gw:wrong@127.0.0.1:" + nats.port(), null, null, 30_000);
        await().atMost(WAIT).until(() -> events.saw("refused: "));
        assertThat(events.seen).filteredOn(event -> event.startsWith("refused: ")).first().asString()
                .contains("Authorization Violation").contains("check the user and password");
        assertThat(connector.connection()).isNull();
    }

    @Test
    void aTokenLogsIn() throws Exception {
        nats = NatsServer.withConfig("authorization { token: \"s3cret-token\" }\n").start();
        connect("nats://s3cret-token@127.0.0.1:" + nats.port(), null, null, 30_000);
        awaitMessagesFlow("with a token");
    }

    @Test
    void anNKeyUserLogsInBySigningTheNonce() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        String publicKey = NKeys.userPublicKey(NKeySigner.rawPublicKey((EdECPublicKey) pair.getPublic()));
        assertThat(new NKeySigner(NKeys.userSeedText(seed)).publicKey()).as("derived from the seed alone")
                .isEqualTo(publicKey);
        nats = NatsServer.withConfig("authorization { users = [ { nkey: " + publicKey + " } ] }\n").start();
        Path seedFile = dir.resolve("user.nk");
        Files.writeString(seedFile, "-----BEGIN USER NKEY SEED-----\n" + NKeys.userSeedText(seed)
                + "\n------END USER NKEY SEED------\n");
        connect(nats.url(), seedFile, null, 30_000);
        awaitMessagesFlow("with an nkey");
    }

    @Test
    void anotherNKeyIsRefused() throws Exception {
        KeyPair allowed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String publicKey = NKeys.userPublicKey(NKeySigner.rawPublicKey((EdECPublicKey) allowed.getPublic()));
        nats = NatsServer.withConfig("authorization { users = [ { nkey: " + publicKey + " } ] }\n").start();
        Path seedFile = dir.resolve("other.nk");
        Files.writeString(seedFile, NKeys.userSeedText(((EdECPrivateKey) other.getPrivate()).getBytes().orElseThrow())
                + "\n");
        connect(nats.url(), seedFile, null, 30_000);
        await().atMost(WAIT).until(() -> events.saw("refused: "));
        assertThat(events.seen).filteredOn(event -> event.startsWith("refused: ")).first().asString()
                .contains("Authorization Violation").contains("must be one of the nkey users");
        assertThat(connector.connection()).isNull();
    }

    @Test
    void aCredsFileLogsInToAnOperatorModeServerWithItsJwtAndTheNonceSigned() throws Exception {
        Identity user = operatorModeServerWithAUser();
        Path creds = NatsJwts.writeCreds(dir.resolve("gateway.creds"), userJwt, user.userSeed());
        connect(nats.url(), creds, null, 30_000);
        awaitMessagesFlow("with a user jwt");
        assertThat(events.seen).containsExactly("connected");
    }

    @Test
    void aUserJwtWithAnotherKeysSeedIsRefused() throws Exception {
        operatorModeServerWithAUser();
        Identity stranger = Identity.generate(NKeys.Role.USER);
        Path creds = NatsJwts.writeCreds(dir.resolve("mismatched.creds"), userJwt, stranger.userSeed());
        connect(nats.url(), creds, null, 30_000);
        await().atMost(WAIT).until(() -> events.saw("refused: "));
        assertThat(events.seen).filteredOn(event -> event.startsWith("refused: ")).first().asString()
                .contains("Authorization Violation").contains("credentials-file: its seed must be the key of the user"
                        + " its JWT names");
        assertThat(connector.connection()).isNull();
    }

    /** The user JWT {@link #operatorModeServerWithAUser()} minted. */
    private String userJwt;

    /** Starts nats-server trusting a fresh operator, with one account and one user JWT of it; returns the user. */
    private Identity operatorModeServerWithAUser() {
        Identity operator = Identity.generate(NKeys.Role.OPERATOR);
        Identity account = Identity.generate(NKeys.Role.ACCOUNT);
        Identity user = Identity.generate(NKeys.Role.USER);
        String accountJwt = NatsJwts.accountJwt(operator, account, "skynet");
        userJwt = NatsJwts.userJwt(account, user, "gateway");
        nats = NatsServer.withConfig(NatsJwts.serverConfig(NatsJwts.operatorJwt(operator, "test-operator"), account,
                accountJwt)).start();
        return user;
    }

    @Test
    void tlsWithTheServersCaAndATlsRequiredServerUpgradesANatsUrl() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        nats = NatsServer.withConfig("tls { cert_file: \"" + pem.certificate() + "\"\n key_file: \""
                + pem.privateKey() + "\" }\n").start();
        connect("tls://127.0.0.1:" + nats.port(), null, pem.certificate(), 30_000);
        await().atMost(WAIT).until(() -> connector.connection() != null);
        connector.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // nats:// to a server whose INFO says tls_required: the connection upgrades after the INFO.
        connect(nats.url(), null, pem.certificate(), 30_000);
        await().atMost(WAIT).until(() -> events.seen.stream().filter("connected"::equals).count() == 2);
        assertThat(connector.connection()).isNotNull();
    }

    @Test
    void tlsWithoutTrustingTheServersCertificateFailsAndSaysWhy() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        nats = NatsServer.withConfig("tls { cert_file: \"" + pem.certificate() + "\"\n key_file: \""
                + pem.privateKey() + "\" }\n").start();
        connect("tls://127.0.0.1:" + nats.port(), null, null, 30_000);
        await().atMost(WAIT).until(() -> events.saw("failed: TLS"));
        assertThat(connector.connection()).isNull();
    }

    @Test
    void aPublishLargerThanMaxPayloadIsRefusedAndTheConnectionStays() throws Exception {
        nats = NatsServer.withConfig("max_payload: 1024\n").start();
        connect(nats.url(), null, null, 30_000);
        await().atMost(WAIT).until(() -> connector.connection() != null);
        NatsConnection connection = connector.connection();
        assertThat(connection.info().maxPayload()).isEqualTo(1024);
        assertThat(connection.publish("test.big", new byte[1025])).isEqualTo(NatsWrites.Result.TOO_LARGE);
        assertThat(connection.publish("test.fits", new byte[1024])).isEqualTo(NatsWrites.Result.WRITTEN);
        awaitMessagesFlow("still up");
        assertThat(events.seen).containsExactly("connected");
    }

    @Test
    void theServersPingsAreAnsweredSoItKeepsTheConnection() throws Exception {
        nats = NatsServer.withConfig("ping_interval: \"100ms\"\nping_max: 1\n").start();
        connect(nats.url(), null, null, 30_000);
        await().atMost(WAIT).until(() -> connector.connection() != null);
        NatsConnection first = connector.connection();
        await().atMost(WAIT).until(() -> first.serverPingsAnswered() >= 5);
        assertThat(connector.connection()).isSameAs(first);
        assertThat(events.seen).containsExactly("connected");
        awaitMessagesFlow("after pings");
    }

    @Test
    void aServerThatStopsAnsweringIsLostAfterTwoUnansweredPingsAndFoundAgain() throws Exception {
        nats = NatsServer.single().start();
        connect(nats.url(), null, null, 200);
        await().atMost(WAIT).until(() -> connector.connection() != null);
        signal("STOP", nats.pid());
        try {
            await().atMost(WAIT).until(() -> events.saw("lost: no PONG"));
        } finally {
            signal("CONT", nats.pid());
        }
        await().atMost(WAIT).until(() -> events.seen.contains("reconnected"));
        awaitMessagesFlow("after a hang");
    }

    @Test
    void whatWaitedToBeWrittenWhenTheConnectionIsLostIsReportedAsLost() throws Exception {
        nats = NatsServer.single().start();
        connect(nats.url(), null, null, 200);
        await().atMost(WAIT).until(() -> connector.connection() != null);
        NatsConnection connection = connector.connection();
        signal("STOP", nats.pid());
        long accepted = 0;
        try {
            // From the test's thread (not the loop): the kernel's buffers, then Netty's queue, then ours fill up.
            byte[] payload = new byte[64 * 1024];
            while (connection.publish("test.fill", payload, 3) == NatsWrites.Result.WRITTEN) {
                accepted += 3;
                assertThat(accepted).as("a bound stops the publishes").isLessThan(3L * 10_000);
            }
            await().atMost(WAIT).until(() -> events.saw("lost: no PONG"));
        } finally {
            signal("CONT", nats.pid());
        }
        assertThat(connection.messagesLostWithConnection()).isPositive().isLessThanOrEqualTo(accepted)
                .isEqualTo(connection.messagesLostWithConnection() / 3 * 3);
        await().atMost(WAIT).until(() -> events.seen.contains("reconnected"));
    }

    @Test
    void aServerKilledAndRestartedIsReconnectedToAndTheSubscriptionRestored() throws Exception {
        nats = NatsServer.single().start();
        connect(nats.url(), null, null, 30_000);
        awaitMessagesFlow("before");
        nats.stop();
        await().atMost(WAIT).until(() -> events.saw("lost: "));
        assertThat(connector.connection()).isNull();
        nats.start();
        await().atMost(WAIT).until(() -> events.seen.contains("reconnected"));
        awaitMessagesFlow("after a restart");
    }

    @Test
    void severalUrlsAreTriedInOrderUntilOneAnswers() throws Exception {
        nats = NatsServer.single().start();
        int closedPort = dev.skynetbridge.testsupport.FreePorts.pick();
        url = nats.url();
        connector = new NatsConnector(vertx, List.of(NatsEndpoint.parse("nats://127.0.0.1:" + closedPort),
                NatsEndpoint.parse(nats.url())), new NatsLogin("test", "0", null), null, 30_000, events);
        connector.start();
        awaitMessagesFlow("second url");
        assertThat(events.seen.get(0)).startsWith("failed: cannot connect");
        assertThat(connector.connection().endpoint().port()).isEqualTo(nats.port());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
