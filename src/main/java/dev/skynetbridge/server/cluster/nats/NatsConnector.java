package dev.skynetbridge.server.cluster.nats;

import dev.skynetbridge.support.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps one {@link NatsConnection} open, on one event loop of the given Vert.x: the servers are tried in order, then
 * round robin (with the ones their INFO announces in {@code connect_urls} added); after a whole round fails, it waits
 * with {@link Backoff} (up to 5 s) and goes on, as long as it takes. A lost connection is followed at once by a try of
 * the next server. Everything here runs on that event loop.
 */
public final class NatsConnector {

    /** What happens to the connection; on its event loop. */
    public interface Listener {
        /** @param again a connection was open before (this is a reconnect) */
        void connected(NatsConnection connection, boolean again);

        /** A try failed; {@code refused}: the server answered with an error (a login, most often). */
        void attemptFailed(NatsEndpoint endpoint, String why, boolean refused);

        void lost(NatsConnection connection, String why);

        void message(String subject, byte[] payload);

        void serverError(String text);
    }

    static final long HANDSHAKE_TIMEOUT_MILLIS = 5_000;
    /** How often this side pings an idle or busy server: two unanswered and the connection counts as lost. */
    public static final long DEFAULT_PING_INTERVAL_MILLIS = 30_000;

    private final ContextInternal context;
    private final NetClient client;
    private final NatsLogin login;
    private final Listener listener;
    private final long pingIntervalMillis;
    private final Backoff backoff = new Backoff(250, 5_000);

    /** Changed on the event loop only (read anywhere). */
    private final List<NatsEndpoint> servers;
    /** Event loop only. */
    private int next;
    private int failuresInRow;
    private boolean wasConnected;
    private long retryTimer = -1;
    private volatile NatsConnection current;
    private volatile boolean closed;

    /** On an event loop of its own choosing (Vert.x's next). */
    public NatsConnector(Vertx vertx, List<NatsEndpoint> servers, NatsLogin login, Path caFile,
                         long pingIntervalMillis, Listener listener) {
        this(vertx, null, servers, login, caFile, pingIntervalMillis, listener);
    }

    /**
     * @param eventLoop the context whose event loop the connection runs on (null: a new one): the Skynet server's,
     *     so that messages go between the server's connections and NATS with no thread woken in between
     * @param caFile PEM certificates to trust for TLS (null: the JVM's trust store)
     */
    public NatsConnector(Vertx vertx, Context eventLoop, List<NatsEndpoint> servers, NatsLogin login, Path caFile,
                         long pingIntervalMillis, Listener listener) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no NATS server to connect to");
        }
        if (eventLoop != null && !eventLoop.isEventLoopContext()) {
            throw new IllegalArgumentException("the NATS connection needs an event loop context, got " + eventLoop);
        }
        this.context = eventLoop != null ? (ContextInternal) eventLoop
                : ((VertxInternal) vertx).createEventLoopContext();
        this.servers = new CopyOnWriteArrayList<>(servers);
        this.login = login;
        this.listener = listener;
        this.pingIntervalMillis = pingIntervalMillis;
        NetClientOptions options = new NetClientOptions().setConnectTimeout((int) HANDSHAKE_TIMEOUT_MILLIS)
                .setTcpNoDelay(true).setHostnameVerificationAlgorithm("HTTPS");
        if (caFile != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
        }
        this.client = vertx.createNetClient(options);
    }

    /** Starts connecting; returns at once. */
    public void start() {
        context.runOnContext(ignored -> attempt());
    }

    /** The open connection, or null. */
    public NatsConnection connection() {
        NatsConnection open = current;
        return open != null && open.isOpen() ? open : null;
    }

    /** The servers known now (the configured ones, then the announced), without credentials. */
    public List<String> servers() {
        return servers.stream().map(NatsEndpoint::toString).toList();
    }

    /** Writes what waits, closes the connection and stops trying; completes once the socket is closed. */
    public Future<Void> close() {
        closed = true;
        Promise<Void> done = context.promise();
        context.runOnContext(ignored -> {
            context.owner().cancelTimer(retryTimer);
            NatsConnection open = current;
            current = null;
            if (open != null) {
                open.close();
            }
            // After the connection's close (queued behind it on this loop): the client closes what is left.
            context.runOnContext(later -> client.close().onComplete(result -> done.tryComplete()));
        });
        return done.future();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        NatsEndpoint endpoint = servers.get(Math.floorMod(next++, servers.size()));
        NatsConnection.open(context, client, endpoint, login, new Events(), HANDSHAKE_TIMEOUT_MILLIS,
                pingIntervalMillis).onComplete(result -> {
                    if (result.succeeded()) {
                        opened(result.result());
                    } else {
                        failed(endpoint, result.cause());
                    }
                });
    }

    private void opened(NatsConnection connection) {
        if (closed) {
            connection.close();
            return;
        }
        failuresInRow = 0;
        backoff.reset();
        learn(connection);
        current = connection;
        boolean again = wasConnected;
        wasConnected = true;
        listener.connected(connection, again);
    }

    private void failed(NatsEndpoint endpoint, Throwable cause) {
        if (closed) {
            return;
        }
        boolean refused = cause instanceof NatsConnection.HandshakeFailure failure && failure.refused();
        listener.attemptFailed(endpoint, cause.getMessage(), refused);
        failuresInRow++;
        if (failuresInRow % servers.size() == 0) {
            retryTimer = context.owner().setTimer(backoff.nextDelayMillis(), ignored -> attempt());
        } else {
            attempt();
        }
    }

    /** Adds the servers an INFO announces, reached with the TLS and login of the one that announced them. */
    private void learn(NatsConnection connection) {
        NatsServerInfo info = connection.info();
        if (info == null) {
            return;
        }
        for (String announced : info.connectUrls()) {
            NatsEndpoint endpoint;
            try {
                endpoint = connection.endpoint().announced(announced);
            } catch (NumberFormatException e) {
                continue; // not host:port: nothing to reach
            }
            if (servers.stream().noneMatch(known -> known.sameServer(endpoint))) {
                servers.add(endpoint);
            }
        }
    }

    private final class Events implements NatsConnection.Handler {
        @Override
        public void message(String subject, byte[] payload) {
            listener.message(subject, payload);
        }

        @Override
        public void serverError(String text) {
            listener.serverError(text);
        }

        @Override
        public void closed(NatsConnection connection, String reason) {
            if (current != connection) {
                return;
            }
            current = null;
            listener.lost(connection, reason);
            if (!closed) {
                attempt();
            }
        }
    }
}
