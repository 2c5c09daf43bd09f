package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.server.acl.ReloadSignal;
import dev.skynetbridge.testsupport.AccessFiles;
import dev.skynetbridge.testsupport.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The access file changes while clients are connected: nobody is dropped who keeps a right. */
class AccessFileReloadTest extends AclServerHarness {

    String listenerReads(String channels) {
        return files.tokenYaml("listener", "{ allow: read, channels: " + channels + " }")
                + files.tokenYaml("sender", "{ allow: write, channels: [\"*\"] }");
    }

    @Test
    void aConnectionThatLosesReadOnAChannelStopsReceivingItAndKeepsTheRest() throws Exception {
        start(listenerReads("[42, 43]"), "");
        RawWebSocket listener = client(files.token("listener"));
        RawWebSocket sender = client(files.token("sender"));
        open(listener, 42);
        open(listener, 43);
        await().until(() -> subscribers(Channel.of(42)) == 1 && subscribers(Channel.of(43)) == 1);

        rewrite(listenerReads("[43]"), "");
        assertThat(error(listener.next()).detail()).isEqualTo("channel n:42 closed: the access file changed and token"
                + " listener may no longer read it");
        await().until(() -> subscribers(Channel.of(42)) == 0);
        send(sender, 42, "gone");
        send(sender, 43, "still here");
        assertThat(push(listener.next()).payload()).isEqualTo("still here");
        assertThat(listener.poll(QUIET_MS)).isNull();
        assertThat(listener.isClosed()).isFalse();
        assertThat(sender.isClosed()).isFalse();
        assertThat(access().refused(Refusal.READ_LOST)).isEqualTo(1);

        open(listener, 42);
        assertThat(error(listener.next()).detail()).startsWith("cannot open n:42");
    }

    @Test
    void aWildcardListenerStopsReceivingAChannelADenyRuleNowNames() throws Exception {
        start(listenerReads("[\"*\"]"), "");
        RawWebSocket listener = client(files.token("listener"));
        RawWebSocket sender = client(files.token("sender"));
        open(listener, "*");
        await().until(() -> subscribers(Channel.WILDCARD) == 1);
        send(sender, "vault", "before");
        assertThat(push(listener.next()).payload()).isEqualTo("before");

        rewrite(files.tokenYaml("listener", "{ allow: read, channels: [\"*\"] }", "{ allow: deny, channels: [\"s:vault\"] }")
                + files.tokenYaml("sender", "{ allow: write, channels: [\"*\"] }"), "");
        send(sender, "vault", "after");
        send(sender, "hall", "open");
        assertThat(push(listener.next()).payload()).isEqualTo("open");

        rewrite(listenerReads("[1]"), "");
        assertThat(error(listener.next()).detail()).isEqualTo("channel \"*\" closed: the access file changed and token"
                + " listener may no longer read it");
        await().until(() -> subscribers(Channel.WILDCARD) == 0);
    }

    @Test
    void aRevokedTokenIsClosedWith1008AndRefusedFromThenOn() throws Exception {
        start(listenerReads("[1]"), "");
        RawWebSocket listener = client(files.token("listener"));
        RawWebSocket sender = client(files.token("sender"));
        open(listener, 1);
        await().until(() -> subscribers(Channel.of(1)) == 1);

        rewrite(files.tokenYaml("sender", "{ allow: write, channels: [\"*\"] }")
                + files.tokenYaml("other", "{ allow: read, channels: [1] }"), "");
        assertThat(error(listener.next()).detail()).contains("no longer valid");
        assertThat(listener.awaitClose()).isEqualTo((short) 1008);
        assertThat(sender.isClosed()).as("its token stays: it stays").isFalse();
        assertThat(upgradeStatus("/connect/" + files.token("listener"))).isEqualTo(401);
        assertThat(access().refused(Refusal.REVOKED)).isEqualTo(1);
    }

    @Test
    void aChangedFileWithAProblemKeepsThePreviousRules() throws Exception {
        start(listenerReads("[1]"), "");
        long failuresBefore = access().reloadFailures();
        AccessFiles.write(aclFile, listenerReads("[\"1\"]"), ""); // ambiguous: refused
        await().until(() -> access().reloadFailures() > failuresBefore);
        RawWebSocket listener = client(files.token("listener"));
        open(listener, 1);
        await().until(() -> subscribers(Channel.of(1)) == 1);
        assertThat(listener.poll(QUIET_MS)).isNull();
        assertThat(server.reloadAccessFile()).isFalse();
    }

    @Test
    void sighupReloadsTheFile() throws Exception {
        start(listenerReads("[1]"), "", options().accessFileCheckMillis(3_600_000)); // the watcher stays out of it
        assumeThat(ReloadSignal.available()).as("SIGHUP reaches the JVM on this platform").isTrue();
        RawWebSocket listener = client(files.token("listener"));
        open(listener, 1);
        await().until(() -> subscribers(Channel.of(1)) == 1);
        AccessFiles.write(aclFile, listenerReads("[2]"), "");
        long before = access().reloads();
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> access().reloads() > before);
        assertThat(error(listener.next()).detail()).startsWith("channel n:1 closed");
        open(listener, 2);
        await().until(() -> subscribers(Channel.of(2)) == 1);
    }
}
