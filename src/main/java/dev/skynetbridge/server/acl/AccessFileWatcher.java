package dev.skynetbridge.server.acl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls back when the access file changes: its modification time, size or identity differ from the last
 * look. Polling the attributes (every {@code periodMillis}) rather than a WatchService also sees
 * a file replaced by a rename or a symlink swap (editors, Kubernetes ConfigMaps).
 */
public final class AccessFileWatcher implements AutoCloseable {

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService timer;
    private Object lastSeen;

    public AccessFileWatcher(Path file, long periodMillis, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.lastSeen = fingerprint();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "skynet-acl-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Object now = fingerprint();
        if (!Objects.equals(now, lastSeen)) {
            lastSeen = now;
            onChange.run();
        }
    }

    /** Modification time, size and file identity (a replaced file has a new one), or null while it is missing. */
    private Object fingerprint() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() + "/" + attributes.size() + "/" + attributes.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
