package dev.skynetbridge.server;

/**
 * Settings of the embedded Skynet server. Setters validate, so a wrong value fails at start-up
 * with the setting's name rather than later on the wire.
 */
public final class ServerOptions {

    public static final int DEFAULT_PORT = 3030;
    /** CC: Tweaked clients cap websocket messages at 128 KiB by default; larger frames are refused. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 128 * 1024;
    public static final int DEFAULT_SEND_QUEUE_LIMIT = 16_384;
    public static final int DEFAULT_V1_LOG_SIZE = 1000;

    private String host = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private int sendQueueLimit = DEFAULT_SEND_QUEUE_LIMIT;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;
    private int v1LogSize = DEFAULT_V1_LOG_SIZE;
    private String tlsCertPath;
    private String tlsKeyPath;
    private java.nio.file.Path accessFile;
    private long accessFileCheckMillis = 2000;
    private ConnectionLimits limits = ConnectionLimits.DEFAULTS;

    public String host() {
        return host;
    }

    public ServerOptions host(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("skynet.server.host must not be empty");
        }
        host = value;
        return this;
    }

    public int port() {
        return port;
    }

    /** 0 picks a free port (tests, benchmarks). */
    public ServerOptions port(int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("skynet.server.port must be 0..65535, got " + value);
        }
        port = value;
        return this;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public ServerOptions maxFrameSize(int value) {
        if (value < 64) {
            throw new IllegalArgumentException("skynet.server.max-frame-size must be at least 64 bytes, got " + value);
        }
        maxFrameSize = value;
        return this;
    }

    public int sendQueueLimit() {
        return sendQueueLimit;
    }

    public ServerOptions sendQueueLimit(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("skynet.server.send-queue-limit must be at least 1, got " + value);
        }
        sendQueueLimit = value;
        return this;
    }

    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    public ServerOptions overflowPolicy(OverflowPolicy value) {
        overflowPolicy = java.util.Objects.requireNonNull(value, "skynet.server.overflow-policy");
        return this;
    }

    public int v1LogSize() {
        return v1LogSize;
    }

    public ServerOptions v1LogSize(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("skynet.server.v1-log-size must be at least 1, got " + value);
        }
        v1LogSize = value;
        return this;
    }

    public String tlsCertPath() {
        return tlsCertPath;
    }

    public String tlsKeyPath() {
        return tlsKeyPath;
    }

    /** Serve wss:// from PEM files; both or neither. */
    public ServerOptions tls(String certPath, String keyPath) {
        boolean cert = certPath != null && !certPath.isBlank();
        boolean key = keyPath != null && !keyPath.isBlank();
        if (cert != key) {
            throw new IllegalArgumentException("TLS needs both skynet.server.tls-cert and skynet.server.tls-key (PEM files)");
        }
        tlsCertPath = cert ? certPath : null;
        tlsKeyPath = key ? keyPath : null;
        return this;
    }

    public boolean tlsEnabled() {
        return tlsCertPath != null;
    }

    /** The access file (docs/access-control.md), or null: every client may do everything. */
    public java.nio.file.Path accessFile() {
        return accessFile;
    }

    /** Empty or null: no access file. */
    public ServerOptions accessFile(String path) {
        accessFile = path == null || path.isBlank() ? null : java.nio.file.Path.of(path.trim());
        return this;
    }

    /** How often the access file's modification time is looked at, for a reload. */
    public long accessFileCheckMillis() {
        return accessFileCheckMillis;
    }

    public ServerOptions accessFileCheckMillis(long value) {
        if (value < 10) {
            throw new IllegalArgumentException("the access file check interval must be at least 10 ms, got " + value);
        }
        accessFileCheckMillis = value;
        return this;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    public ServerOptions limits(ConnectionLimits value) {
        limits = java.util.Objects.requireNonNull(value, "limits");
        return this;
    }

    /** Checks the settings that depend on each other (the server does on start); returns this. */
    public ServerOptions validated() {
        limits.checkAgainst(maxFrameSize);
        return this;
    }
}
