package dev.skynetbridge.server.cluster;

import dev.skynetbridge.server.cluster.nats.NatsEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How a gateway joins a cluster.
 *
 * @param natsUrls NATS servers to try ({@code nats://}, {@code tls://}, credentials in the URL as
 *     {@code nats://user:password@host:4222} or {@code nats://token@host:4222}); NATS's websocket port
 *     ({@code ws://}, {@code wss://}) is refused with a message saying so
 * @param nodeId this gateway's name in logs, metrics and envelopes
 * @param subjectPrefix the first subject token(s) of every cluster message, so several clusters can share one NATS
 * @param bufferBytes message bytes kept while NATS is unreachable; past it new messages are dropped (counted)
 * @param credentialsFile a NATS {@code .creds} file (JWT and NKey seed) or an NKey seed file, or null
 * @param sendLingerMillis how long a batch for the other nodes stays open for more messages; 0: it goes at the end
 *     of the event-loop turn that opened it
 * @param announceIntervalMillis how often this node announces itself to the others (the console's cluster view);
 *     they count it missing after a few silent intervals
 * @param tlsCaFile PEM certificates to trust for {@code tls://} (a private CA), or null: the JVM's trust store
 */
public record ClusterOptions(List<String> natsUrls, String nodeId, String subjectPrefix, long bufferBytes,
                             Path credentialsFile, long sendLingerMillis, long announceIntervalMillis,
                             Path tlsCaFile) {

    public static final String DEFAULT_SUBJECT_PREFIX = "skynet";
    public static final long DEFAULT_BUFFER_BYTES = 8L * 1024 * 1024;

    /** The longest {@code sendLingerMillis}: a batch waiting longer would cost more latency than it saves CPU. */
    public static final long MAX_SEND_LINGER_MILLIS = 100;

    public static final long DEFAULT_ANNOUNCE_INTERVAL_MILLIS = 2_000;
    /** Faster would cost every node a message per node this often for nothing a person can see. */
    public static final long MIN_ANNOUNCE_INTERVAL_MILLIS = 100;
    /** Slower, and a killed node would show as up for minutes. */
    public static final long MAX_ANNOUNCE_INTERVAL_MILLIS = 60_000;

    public ClusterOptions(List<String> natsUrls, String nodeId, String subjectPrefix, long bufferBytes,
                          Path credentialsFile) {
        this(natsUrls, nodeId, subjectPrefix, bufferBytes, credentialsFile, 0);
    }

    public ClusterOptions(List<String> natsUrls, String nodeId, String subjectPrefix, long bufferBytes,
                          Path credentialsFile, long sendLingerMillis) {
        this(natsUrls, nodeId, subjectPrefix, bufferBytes, credentialsFile, sendLingerMillis,
                DEFAULT_ANNOUNCE_INTERVAL_MILLIS);
    }

    public ClusterOptions(List<String> natsUrls, String nodeId, String subjectPrefix, long bufferBytes,
                          Path credentialsFile, long sendLingerMillis, long announceIntervalMillis) {
        this(natsUrls, nodeId, subjectPrefix, bufferBytes, credentialsFile, sendLingerMillis, announceIntervalMillis,
                null);
    }

    public ClusterOptions {
        natsUrls = List.copyOf(natsUrls);
        if (sendLingerMillis < 0 || sendLingerMillis > MAX_SEND_LINGER_MILLIS) {
            throw new IllegalArgumentException("the cluster send linger must be 0 to " + MAX_SEND_LINGER_MILLIS
                    + " ms, got " + sendLingerMillis);
        }
        if (announceIntervalMillis < MIN_ANNOUNCE_INTERVAL_MILLIS
            || announceIntervalMillis > MAX_ANNOUNCE_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("the cluster announce interval (skynet.cluster.announce-interval-ms)"
                    + " must be " + MIN_ANNOUNCE_INTERVAL_MILLIS + " to " + MAX_ANNOUNCE_INTERVAL_MILLIS + " ms, got "
                    + announceIntervalMillis);
        }
        if (natsUrls.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one NATS URL");
        }
        for (String url : natsUrls) {
            checkUrl(url);
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("the cluster node id is empty");
        }
        if (bufferBytes < 0) {
            throw new IllegalArgumentException("the cluster buffer size must be >= 0 bytes, got " + bufferBytes);
        }
        if (credentialsFile != null && !Files.isReadable(credentialsFile)) {
            throw new IllegalArgumentException("NATS credentials file " + credentialsFile.toAbsolutePath()
                    + " is not readable: create it with 'nsc generate creds' or leave the setting empty");
        }
        if (tlsCaFile != null && !Files.isReadable(tlsCaFile)) {
            throw new IllegalArgumentException("the CA file for TLS to NATS " + tlsCaFile.toAbsolutePath()
                    + " is not readable: give a PEM file of the CA that signed the NATS servers' certificates, or"
                    + " leave the setting empty for the JVM's trust store");
        }
    }

    /** The URLs as endpoints to connect to. */
    public List<NatsEndpoint> endpoints() {
        return natsUrls.stream().map(NatsEndpoint::parse).toList();
    }

    /** Parses the comma-separated form of the setting; blanks between commas are ignored. */
    public static List<String> parseUrls(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(url -> !url.isEmpty()).toList();
    }

    private static void checkUrl(String url) {
        NatsEndpoint.parse(url);
    }

    /** The URLs without credentials, for logs. */
    public List<String> redactedUrls() {
        return natsUrls.stream().map(ClusterOptions::redacted).toList();
    }

    static String redacted(String url) {
        return NatsEndpoint.redacted(url);
    }
}
