package dev.skynetbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryBrokerFolderTest {

    @TempDir
    Path root;

    @Test
    void aFolderWhoseBrokerEndedIsRemovedAndOnlyThat() throws Exception {
        Path leftOver = brokerFolder("skynet-mqtt-1");
        Files.writeString(leftOver.resolve(TemporaryBrokerFolder.LOCK_FILE), "");
        Files.createDirectories(leftOver.resolve("data").resolve("x"));
        Path unrelated = Files.createDirectories(root.resolve("other-1"));

        assertThat(TemporaryBrokerFolder.removeLeftovers(root)).isEqualTo(1);

        assertThat(leftOver).doesNotExist();
        assertThat(unrelated).exists();
    }

    @Test
    void aFolderLockedByARunningProcessIsKeptUntilThatProcessEnds() throws Exception {
        Path held = brokerFolder("skynet-mqtt-2");
        Path lockFile = held.resolve(TemporaryBrokerFolder.LOCK_FILE);
        // fcntl locks, like Java's FileLock: what another gateway's JVM holds while its broker runs.
        Process holder = new ProcessBuilder("python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'w')
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                print('locked', flush=True)
                sys.stdin.read()
                """, lockFile.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThat(TemporaryBrokerFolder.removeLeftovers(root)).isZero();
            assertThat(held).exists();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(TemporaryBrokerFolder.removeLeftovers(root)).isEqualTo(1);
        assertThat(held).doesNotExist();
    }

    @Test
    void aFolderWithoutALockIsRemovedOnlyOnceItIsOld() throws Exception {
        Path young = brokerFolder("skynet-mqtt-3"); // may be one another process has just made
        Path old = brokerFolder("skynet-mqtt-4"); // e.g. made by a version without the lock file
        Files.setLastModifiedTime(old, FileTime.from(Instant.now()
                .minus(TemporaryBrokerFolder.UNLOCKED_FOLDER_AGE).minusSeconds(60)));

        assertThat(TemporaryBrokerFolder.removeLeftovers(root)).isEqualTo(1);

        assertThat(young).exists();
        assertThat(old).doesNotExist();
    }

    @Test
    void aFolderThisProcessHoldsIsKeptAndGoesWhenClosed() throws Exception {
        TemporaryBrokerFolder folder = TemporaryBrokerFolder.create();
        Path path = folder.path();
        try {
            assertThat(path.getFileName().toString()).startsWith(TemporaryBrokerFolder.PREFIX);
            TemporaryBrokerFolder.removeLeftovers(path.getParent());
            assertThat(path.resolve(TemporaryBrokerFolder.LOCK_FILE)).exists();
            // A second broker in the same JVM leaves the first one's folder (and its lock) alone.
            try (TemporaryBrokerFolder second = TemporaryBrokerFolder.create()) {
                assertThat(second.path()).isNotEqualTo(path);
            }
            assertThat(path).exists();
        } finally {
            folder.close();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aStoppedBrokerLeavesNoFolder() throws Exception {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(EmbeddedMqttBrokerOptions.defaults().withPort(0));
        broker.start();
        Path folder;
        try (var folders = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            folder = folders.filter(p -> p.getFileName().toString().startsWith(TemporaryBrokerFolder.PREFIX))
                    .filter(p -> Files.exists(p.resolve("conf").resolve("config.xml")))
                    .filter(p -> readConfig(p).contains("<port>" + broker.port() + "</port>"))
                    .findFirst().orElseThrow();
        }
        broker.stop();
        assertThat(folder).doesNotExist();
    }

    private static String readConfig(Path folder) {
        try {
            return Files.readString(folder.resolve("conf").resolve("config.xml"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Path brokerFolder(String name) throws Exception {
        return Files.createDirectories(root.resolve(name));
    }
}
