package dev.skynetbridge.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's working folder under the system's temporary folder, when no data folder is configured. It is
 * locked while its broker runs, so that the next start can remove the folders that were left behind: HiveMQ's close
 * waits 2 s for each of its two Netty thread groups to be quiet, and a gateway stopped by SIGTERM (or killed) ends
 * before that, so its folder was never deleted (61 of them in /tmp after one day of benchmarks).
 */
final class TemporaryBrokerFolder implements AutoCloseable {

    static final String PREFIX = "skynet-mqtt-";
    static final String LOCK_FILE = "in-use.lock";
    /** A folder with no lock file yet may be one another process has just made; older ones are from other versions. */
    static final Duration UNLOCKED_FOLDER_AGE = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryBrokerFolder.class);
    /**
     * Folders this JVM holds: never probed with a lock of our own, because closing any channel of a file drops every
     * lock this process holds on it (POSIX), the running broker's included.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel lockChannel;

    private TemporaryBrokerFolder(Path folder, FileChannel lockChannel) {
        this.folder = folder;
        this.lockChannel = lockChannel;
    }

    /** Removes what stopped brokers left in the temporary folder, then makes and locks a new folder. */
    static TemporaryBrokerFolder create() throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"));
        int removed = removeLeftovers(root);
        if (removed > 0) {
            LOG.debug("Removed {} folders of embedded MQTT brokers that no longer run from {}", removed, root);
        }
        Path folder = Files.createTempDirectory(root, PREFIX);
        HELD_HERE.add(folder);
        FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
            channel.close(); // a fresh file in a fresh folder: nobody else can hold it
            HELD_HERE.remove(folder);
            throw new IOException("cannot lock " + folder.resolve(LOCK_FILE));
        }
        return new TemporaryBrokerFolder(folder, channel);
    }

    Path path() {
        return folder;
    }

    /** Releases the lock and deletes the folder (its broker has stopped). */
    @Override
    public void close() {
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("Closing the lock of {}: {}", folder, e.toString());
        }
        deleteRecursively(folder);
        HELD_HERE.remove(folder);
    }

    /** Deletes the broker folders under {@code root} that no running broker holds; returns how many. */
    static int removeLeftovers(Path root) {
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path candidate : folders) {
                if (Files.isDirectory(candidate) && !HELD_HERE.contains(candidate) && isLeftOver(candidate)
                        && deleteRecursively(candidate)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot look for left-over embedded MQTT broker folders in {}: {}", root, e.toString());
        }
        return removed;
    }

    private static boolean isLeftOver(Path folder) throws IOException {
        Path lockFile = folder.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            Instant modified = Files.getLastModifiedTime(folder).toInstant();
            return modified.isBefore(Instant.now().minus(UNLOCKED_FOLDER_AGE));
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false; // a broker in another process holds it
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it (tryLock says so rather than returning null)
        }
    }

    /** True when the whole folder is gone. */
    static boolean deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete the embedded MQTT broker's temporary folder {}: {}", root, e.getMessage());
            return false;
        }
    }
}
