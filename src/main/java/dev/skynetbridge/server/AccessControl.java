package dev.skynetbridge.server;

import dev.skynetbridge.server.acl.AccessFile;
import dev.skynetbridge.server.acl.AccessFileWatcher;
import dev.skynetbridge.server.acl.AccessPolicy;
import dev.skynetbridge.server.acl.ReloadSignal;
import dev.skynetbridge.server.acl.TokenRules;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's current access rules: none (no file: everything allowed, as the reference) or
 * the access file's, reloaded when the file changes or on SIGHUP. A reload with a problem keeps
 * the previous rules; one that works is applied to every open connection, which closes the
 * channels it may no longer read (or, if its token is gone, itself) without touching the others.
 */
final class AccessControl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    private final Path file;
    private final long checkMillis;
    private final AccessMetrics metrics;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile AccessPolicy policy;
    private AccessFileWatcher watcher;
    private ReloadSignal.Registration signal;

    /**
     * Reads the file now, so a problem stops start-up with {@code file:line: problem}.
     *
     * @param file the access file, or null for none
     */
    AccessControl(Path file, long checkMillis, AccessMetrics metrics) {
        this.file = file;
        this.checkMillis = checkMillis;
        this.metrics = metrics;
        this.policy = file == null ? null : AccessFile.load(file);
    }

    /** Starts watching the file and listening for SIGHUP. */
    void start() {
        if (file == null) {
            return;
        }
        watcher = new AccessFileWatcher(file, checkMillis, this::reload);
        signal = ReloadSignal.register(this::reload);
        AccessPolicy current = policy;
        LOG.info("Access control: {} tokens, {} rules, anonymous {} ({}, reloaded when it changes{})",
                current.tokens().size(), current.ruleCount(), current.allowsAnonymous() ? "allowed by its rules"
                        : "refused", file, ReloadSignal.available() ? " or on SIGHUP" : "");
    }

    boolean enabled() {
        return file != null;
    }

    /** The rules in force, or null without an access file. */
    AccessPolicy policy() {
        return policy;
    }

    /**
     * What an identity may do now.
     *
     * @return null when it may no longer connect: its token was removed or its hash changed, or anonymous
     *     connections are no longer allowed
     */
    TokenRules rulesFor(Identity identity) {
        AccessPolicy current = policy;
        if (current == null || identity.kind() == Identity.Kind.OPEN) {
            return TokenRules.UNRESTRICTED;
        }
        if (identity.kind() == Identity.Kind.ANONYMOUS) {
            return current.anonymous();
        }
        AccessPolicy.TokenEntry entry = current.token(identity.tokenName());
        return entry == null || !entry.hash().equals(identity.hash()) ? null : entry.rules();
    }

    /** Re-reads the file; on success every open connection re-checks its channels. */
    synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        AccessPolicy next;
        try {
            next = AccessFile.load(file);
        } catch (IllegalArgumentException e) {
            metrics.reloadFailures.increment();
            LOG.error("Access file not reloaded, the previous rules stay in force: {}", e.getMessage());
            return false;
        }
        policy = next;
        metrics.reloads.increment();
        LOG.info("Access file reloaded: {} tokens, {} rules, anonymous {} ({} connections re-checked)",
                next.tokens().size(), next.ruleCount(), next.allowsAnonymous() ? "allowed by its rules" : "refused",
                connections.size());
        for (ClientConnection connection : connections) {
            connection.rulesChanged();
        }
        return true;
    }

    /** The largest send queue of the open connections now (0 with none); reads every queue, so not per message. */
    int largestSendQueue() {
        int largest = 0;
        for (ClientConnection connection : connections) {
            largest = Math.max(largest, connection.queueDepth());
        }
        return largest;
    }

    void register(ClientConnection connection) {
        connections.add(connection);
    }

    void unregister(ClientConnection connection) {
        connections.remove(connection);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (signal != null) {
            signal.close();
            signal = null;
        }
    }
}
