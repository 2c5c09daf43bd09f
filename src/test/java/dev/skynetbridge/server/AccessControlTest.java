package dev.skynetbridge.server;

import static dev.skynetbridge.testsupport.AccessFiles.anonymousYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.RawWebSocket;
import dev.skynetbridge.testsupport.SelfSignedPem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens and per-channel rules of the embedded server, over real websockets. */
class AccessControlTest extends AclServerHarness {

    @Test
    void theStockClientsTokenInThePathWorks() throws Exception {
        start(files.tokenYaml("reactor", "{ allow: readwrite, channels: [42] }")
                + files.tokenYaml("panel", "{ allow: write, channels: [42] }"), "");
        RawWebSocket reactor = client(files.token("reactor"));
        open(reactor, 42);
        await().until(() -> subscribers(Channel.of(42)) == 1);
        send(client(files.token("panel")), 42, "scram");
        assertThat(push(reactor.next()).payload()).isEqualTo("scram");
        assertThat(access().authenticated()).isEqualTo(2);
    }

    @Test
    void theTokenMayAlsoComeInTheQueryAnAuthorizationHeaderOrTheV1Path() throws Exception {
        start(files.tokenYaml("a", "{ allow: readwrite, channels: [1] }"), "");
        RawWebSocket byQuery = connect("/connect?token=" + files.token("a"), Map.of());
        RawWebSocket byHeader = connect("/connect", Map.of("Authorization", "Bearer " + files.token("a")));
        RawWebSocket v1 = connect("/v1/connect/" + files.token("a"), Map.of());
        open(byQuery, 1);
        v1.sendText("{\"type\":\"open\",\"channel\":1}");
        assertThat(((Map<?, ?>) JsonValues.parse(v1.next().text())).get("channels")).isEqualTo(List.of(1L));
        await().until(() -> subscribers(Channel.of(1)) == 2);
        send(byHeader, 1, "hello");
        assertThat(push(byQuery.next()).payload()).isEqualTo("hello");
        assertThat(((Map<?, ?>) JsonValues.parse(v1.next().text())).get("message")).isEqualTo("hello");
        assertThat(access().authenticated()).isEqualTo(3);
    }

    @Test
    void wrongUnknownMissingAndMalformedTokensAreRefusedWith401() {
        start(files.tokenYaml("a", "{ allow: read, channels: [1] }"), "");
        assertThat(upgradeStatus("/connect/a:not-the-secret")).isEqualTo(401);
        assertThat(upgradeStatus("/connect/nobody:" + files.secret("a"))).isEqualTo(401);
        assertThat(upgradeStatus("/connect/")).as("no anonymous block: anonymous refused").isEqualTo(401);
        assertThat(upgradeStatus("/connect")).isEqualTo(401);
        assertThat(upgradeStatus("/connect/" + files.secret("a"))).as("no name part").isEqualTo(401);
        assertThat(upgradeStatus("/connect/" + files.token("a") + "?token=a:other")).as("conflicting").isEqualTo(401);
        assertThat(upgradeStatus("/v1/connect/a:wrong")).isEqualTo(401);
        assertThat(upgradeStatus("/elsewhere")).isEqualTo(404);
        assertThat(access().refused(Refusal.WRONG_SECRET)).isEqualTo(2);
        assertThat(access().refused(Refusal.UNKNOWN_TOKEN)).isEqualTo(1);
        assertThat(access().refused(Refusal.ANONYMOUS)).isEqualTo(2);
        assertThat(access().refused(Refusal.MALFORMED_TOKEN)).isEqualTo(2);
        assertThat(server.hub().metrics().connectionsOpened()).as("none got as far as a connection").isZero();
        assertThat(upgradeStatus("/connect/" + files.token("a"))).isEqualTo(101);
    }

    @Test
    void anonymousConnectionsGetOnlyWhatTheAnonymousBlockAllows() throws Exception {
        start(files.tokenYaml("a", "{ allow: write, channels: [1, 2] }"),
                anonymousYaml("{ allow: read, channels: [1] }"));
        RawWebSocket anonymous = client(null);
        open(anonymous, 2);
        V2ServerFrame.Error refused = error(anonymous.next());
        assertThat(refused.kind()).isEqualTo("access_denied");
        assertThat(refused.detail()).isEqualTo("cannot open n:2: an anonymous connection (no token) has no read rule"
                + " that covers it");
        open(anonymous, 1);
        await().until(() -> subscribers(Channel.of(1)) == 1);
        send(anonymous, 1, "may I?");
        assertThat(error(anonymous.next()).detail()).startsWith("cannot send on n:1");
        send(client(files.token("a")), 1, "yes");
        assertThat(push(anonymous.next()).payload()).isEqualTo("yes");
    }

    @Test
    void numbersAndStringsAreDifferentChannelsInRulesToo() throws Exception {
        start(files.tokenYaml("a", "{ allow: readwrite, channels: [42] }")
                + files.tokenYaml("b", "{ allow: readwrite, channels: [\"s:42\"] }")
                + files.tokenYaml("peer", "{ allow: write, channels: [42, \"s:42\"] }"), "");
        RawWebSocket a = client(files.token("a"));
        RawWebSocket b = client(files.token("b"));
        open(a, "42");
        assertThat(error(a.next()).detail()).isEqualTo("cannot open s:42: token a has no read rule that covers it");
        open(b, 42);
        assertThat(error(b.next()).detail()).isEqualTo("cannot open n:42: token b has no read rule that covers it");
        send(a, "42", "x");
        assertThat(error(a.next()).detail()).isEqualTo("cannot send on s:42: token a has no write rule that covers it");
        open(a, 42);
        open(b, "42");
        await().until(() -> subscribers(Channel.of(42)) == 1 && subscribers(Channel.of("42")) == 1);
        RawWebSocket peer = client(files.token("peer"));
        send(peer, "42", "to the string");
        send(peer, 42, "to the number");
        assertThat(push(b.next()).payload()).isEqualTo("to the string");
        assertThat(push(a.next()).payload()).isEqualTo("to the number");
        assertThat(b.poll(QUIET_MS)).isNull();
        assertThat(a.poll(QUIET_MS)).isNull();
        assertThat(access().refused(Refusal.OPEN_NO_RULE)).isEqualTo(2);
        assertThat(access().refused(Refusal.SEND_NO_RULE)).isEqualTo(1);
    }

    @Test
    void readWriteReadwriteAndDenyRules() throws Exception {
        start(files.tokenYaml("t", "{ allow: read, channels: [1] }", "{ allow: write, channels: [2] }",
                "{ allow: readwrite, channels: [\"n:3-5\", \"s:room-*\"] }", "{ allow: deny, channels: [4, \"s:room-vault\"] }")
                + files.tokenYaml("peer", "{ allow: readwrite, channels: [\"*\"] }"), "");
        RawWebSocket t = client(files.token("t"));
        RawWebSocket peer = client(files.token("peer"));
        open(peer, 2);
        open(t, 2);
        assertThat(error(t.next()).detail()).contains("no read rule");
        send(t, 2, "written");
        await().until(() -> subscribers(Channel.of(2)) == 1);
        open(t, 1);
        open(t, 3);
        open(t, "room-hall");
        await().until(() -> subscribers(Channel.of(1)) == 1 && subscribers(Channel.of(3)) == 1
                && subscribers(Channel.of("room-hall")) == 1);
        send(t, 2, "written");
        assertThat(push(peer.next()).payload()).isEqualTo("written");
        send(t, 1, "read only");
        assertThat(error(t.next()).detail()).isEqualTo("cannot send on n:1: token t has no write rule that covers it");
        open(t, 4);
        assertThat(error(t.next()).detail()).isEqualTo("cannot open n:4: a deny rule of token t names it");
        send(t, "room-vault", "x");
        assertThat(error(t.next()).detail()).isEqualTo("cannot send on s:room-vault: a deny rule of token t names it");
        send(peer, 3, "three");
        assertThat(push(t.next()).payload()).isEqualTo("three");
        assertThat(access().refused(Refusal.OPEN_DENIED)).isEqualTo(1);
        assertThat(access().refused(Refusal.SEND_DENIED)).isEqualTo(1);
        assertThat(t.isClosed()).as("refusals keep the connection open").isFalse();
    }

    @Test
    void openingTheWildcardNeedsReadOnEverythingAndSkipsDeniedChannels() throws Exception {
        start(files.tokenYaml("partial", "{ allow: read, channels: [1, 2] }")
                + files.tokenYaml("watcher", "{ allow: read, channels: [\"*\"] }", "{ allow: deny, channels: [\"s:secret\", 7] }")
                + files.tokenYaml("all", "{ allow: read, channels: [\"*\"] }")
                + files.tokenYaml("sender", "{ allow: write, channels: [\"*\"] }"), "");
        RawWebSocket partial = client(files.token("partial"));
        open(partial, "*");
        assertThat(error(partial.next()).detail()).isEqualTo("cannot open \"*\": token partial needs a read rule on \"*\""
                + " to listen to every channel");
        RawWebSocket watcher = client(files.token("watcher"));
        RawWebSocket all = client(files.token("all"));
        open(watcher, "*");
        open(all, "*");
        await().until(() -> subscribers(Channel.WILDCARD) == 2);
        RawWebSocket sender = client(files.token("sender"));
        for (Object channel : new Object[] {"secret", 7, "public", 8, "*"}) {
            send(sender, channel, "on " + channel);
        }
        assertThat(List.of(push(watcher.next()).payload(), push(watcher.next()).payload(), push(watcher.next()).payload()))
                .containsExactly("on public", "on 8", "on *");
        assertThat(watcher.poll(QUIET_MS)).isNull();
        for (Object channel : new Object[] {"secret", 7, "public", 8, "*"}) {
            assertThat(push(all.next()).payload()).isEqualTo("on " + channel);
        }
        open(watcher, "secret");
        assertThat(error(watcher.next()).detail()).contains("a deny rule of token watcher names it");
    }

    @Test
    void percentNIsTheTokensName() throws Exception {
        start(files.tokenYaml("turtle1", "{ allow: readwrite, channels: [\"s:%n\", \"s:%n-*\"] }"), "");
        RawWebSocket turtle = client(files.token("turtle1"));
        open(turtle, "turtle2");
        assertThat(error(turtle.next()).detail()).startsWith("cannot open s:turtle2");
        open(turtle, "turtle1");
        open(turtle, "turtle1-fuel");
        await().until(() -> subscribers(Channel.of("turtle1")) == 1 && subscribers(Channel.of("turtle1-fuel")) == 1);
        assertThat(turtle.poll(QUIET_MS)).isNull();
    }

    @Test
    void v1ClientsGetV1ErrorsAndSeeOnlyTheirChannelsInTheLog() throws Exception {
        start(files.tokenYaml("v1", "{ allow: readwrite, channels: [1] }")
                + files.tokenYaml("w", "{ allow: write, channels: [1, 2] }"), "");
        RawWebSocket writer = client(files.token("w"));
        send(writer, 2, "private");
        send(writer, 1, "public");
        RawWebSocket v1 = connect("/v1/connect/" + files.token("v1"), Map.of());
        v1.sendText("{\"type\":\"open\",\"channel\":2}");
        assertThat(JsonValues.parse(v1.next().text())).isEqualTo(Map.of("type", "error",
                "error", "cannot open n:2: token v1 has no read rule that covers it"));
        v1.sendText("{\"type\":\"message\",\"channel\":2,\"message\":\"x\"}");
        assertThat(((Map<?, ?>) JsonValues.parse(v1.next().text())).get("error"))
                .isEqualTo("cannot send on n:2: token v1 has no write rule that covers it");
        await().until(() -> server.hub().metrics().messagesPublished() == 2);
        v1.sendText("{\"type\":\"log\"}");
        List<?> log = (List<?>) ((Map<?, ?>) JsonValues.parse(v1.next().text())).get("log");
        assertThat(log).hasSize(1);
        assertThat(((Map<?, ?>) log.get(0)).get("message")).isEqualTo("public");
    }

    @Test
    void wssWithATokenInThePath() throws Exception {
        var pem = SelfSignedPem.create(dir);
        start(files.tokenYaml("secure", "{ allow: readwrite, channels: [5] }"), "",
                options().tls(pem.certificate().toString(), pem.privateKey().toString()));
        RawWebSocket listener = RawWebSocket.connect(vertx, server.actualPort(), "/connect/" + files.token("secure"), true);
        sockets.add(listener);
        RawWebSocket sender = RawWebSocket.connect(vertx, server.actualPort(), "/connect/" + files.token("secure"), true);
        sockets.add(sender);
        open(listener, 5);
        await().until(() -> subscribers(Channel.of(5)) == 1);
        send(sender, 5, "over tls");
        assertThat(push(listener.next()).payload()).isEqualTo("over tls");
        assertThat(RawWebSocket.upgradeStatus(vertx, server.actualPort(), "/connect/secure:wrong", true, Map.of()))
                .isEqualTo(401);
    }
}
