package dev.skynetbridge.server.cluster.nats;

import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.nats.NatsCommands;
import dev.skynetbridge.protocol.nats.NatsParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection to a NATS server, driven by one Vert.x event loop (its context): the socket's reads are parsed and
 * handed to the {@link Handler} on that loop, with no thread of its own; a publish from that loop is a socket write,
 * from another thread one hop to it ({@link NatsWrites}).
 *
 * <p>Handshake, in the protocol's order: the server's {@code INFO}; TLS (for {@code tls://} or when the INFO says
 * {@code tls_required}: the upgrade after the INFO); {@code CONNECT} and a {@code PING}; the connection is open at
 * the {@code PONG} (an {@code -ERR} instead, a wrong password say, fails it with the server's words). Then server
 * {@code PING}s are answered, and this side pings every {@code pingIntervalMillis}: two unanswered close the
 * connection (a server that hangs, or a network that silently dropped it).
 */
public final class NatsConnection {

    /** What the connection reports, always on its event loop. */
    public interface Handler {
        void message(String subject, byte[] payload);

        /** An {@code -ERR} after the handshake (the connection may stay up, or the server closes it). */
        void serverError(String text);

        /** Once, after it was open: lost, or closed by {@link #close()}. */
        void closed(NatsConnection connection, String reason);
    }

    /** A handshake that failed: {@link #refused()} when the server answered with an {@code -ERR} (a login). */
    public static final class HandshakeFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean refused;

        HandshakeFailure(String message, boolean refused) {
            super(message, null, false, false);
            this.refused = refused;
        }

        public boolean refused() {
            return refused;
        }
    }

    private enum State { CONNECTING, AWAIT_INFO, TLS, AWAIT_PONG, OPEN, CLOSED }

    private final ContextInternal context;
    private final NatsEndpoint endpoint;
    private final NatsLogin login;
    private final Handler handler;
    private final long handshakeTimeoutMillis;
    private final long pingIntervalMillis;
    private final NatsParser parser = new NatsParser(new Reader());
    private final Promise<NatsConnection> handshake;

    /** Read and changed on the event loop only. */
    private State state = State.CONNECTING;
    private NetSocket socket;
    private NatsLogin.Kind loginSent = NatsLogin.Kind.URL;
    private int pingsUnanswered;
    private long pingTimer = -1;
    private long handshakeTimer = -1;
    private volatile NatsServerInfo info;
    private volatile boolean open;
    /** Set once, on the loop, when the connection is lost. */
    private volatile long lostWithConnection;
    private volatile long serverPingsAnswered;
    private NatsWrites writes;

    /** Subscriptions by subject; guarded by themselves. The loop reads {@link #activeSids}. */
    private final Map<String, Long> sidsBySubject = new HashMap<>();
    private final Set<Long> activeSids = ConcurrentHashMap.newKeySet();
    private long nextSid;

    private NatsConnection(ContextInternal context, NatsEndpoint endpoint, NatsLogin login, Handler handler,
                           long handshakeTimeoutMillis, long pingIntervalMillis) {
        this.context = context;
        this.endpoint = endpoint;
        this.login = login;
        this.handler = handler;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.pingIntervalMillis = pingIntervalMillis;
        this.handshake = context.promise();
    }

    /**
     * Connects on {@code context}'s event loop; the future completes there, with the open connection or a
     * {@link HandshakeFailure} (or the socket's own failure).
     */
    public static Future<NatsConnection> open(ContextInternal context, NetClient client, NatsEndpoint endpoint,
                                              NatsLogin login, Handler handler, long handshakeTimeoutMillis,
                                              long pingIntervalMillis) {
        NatsConnection connection = new NatsConnection(context, endpoint, login, handler, handshakeTimeoutMillis,
                pingIntervalMillis);
        context.runOnContext(ignored -> connection.start(client));
        return connection.handshake.future();
    }

    private void start(NetClient client) {
        handshakeTimer = context.owner().setTimer(handshakeTimeoutMillis, ignored -> {
            if (state != State.OPEN && state != State.CLOSED) {
                fail("no answer from " + endpoint + " within " + handshakeTimeoutMillis + " ms", false);
            }
        });
        client.connect(endpoint.port(), endpoint.host()).onComplete(result -> {
            if (result.failed()) {
                fail("cannot connect to " + endpoint + ": " + describe(result.cause()), false);
                return;
            }
            socket = result.result();
            if (state == State.CLOSED) {
                socket.close();
                return;
            }
            state = State.AWAIT_INFO;
            writes = new NatsWrites(context, socket);
            socket.handler(this::read);
            socket.exceptionHandler(e -> {
                lost("connection error: " + describe(e));
                socket.close();
            });
            socket.closeHandler(ignored -> lost("the server closed the connection"));
        });
    }

    private void read(Buffer chunk) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            parser.feed(chunk.getBytes());
        } catch (ProtocolException e) {
            lost(e.getMessage()); // the stream can no longer be followed: start again on a new connection
            socket.close();
        }
    }

    /** The server we are connected to (no credentials). */
    public NatsEndpoint endpoint() {
        return endpoint;
    }

    /** The newest INFO (null before the first). */
    public NatsServerInfo info() {
        return info;
    }

    /** Open: after the handshake, until lost or closed. Any thread. */
    public boolean isOpen() {
        return open;
    }

    /** Whether the caller runs on this connection's event loop (a publish there is a direct socket write). */
    public boolean onEventLoop() {
        return context.nettyEventLoop().inEventLoop();
    }

    /** Publishes one message that carries none of the caller's counted messages (see the other publish). */
    public NatsWrites.Result publish(String subject, byte[] payload) {
        return publish(subject, payload, 0);
    }

    /**
     * Publishes one NATS message; any thread, never blocks (see {@link NatsWrites} for where it waits).
     *
     * @param messages how many of the caller's messages it carries: those still waiting to be written when the
     *     connection is lost are reported by {@link #messagesLostWithConnection()}
     */
    public NatsWrites.Result publish(String subject, byte[] payload, int messages) {
        NatsServerInfo current = info;
        if (!open || current == null) {
            return NatsWrites.Result.CLOSED;
        }
        if (payload.length > current.maxPayload()) {
            return NatsWrites.Result.TOO_LARGE;
        }
        return writes.publish(Buffer.buffer(NatsCommands.publish(subject, payload)), onEventLoop(), messages);
    }

    /** Messages that waited to be written when the connection was lost (0 while it is open). */
    public long messagesLostWithConnection() {
        return lostWithConnection;
    }

    /** Runs {@code task} on the event loop once what waits to be written has gone to the socket. */
    public void whenWritable(Runnable task) {
        NatsWrites current = writes;
        if (current != null) {
            current.whenWritable(task);
        }
    }

    /** Subscribes to a subject (once, however often asked); any thread. */
    public void subscribe(String subject) {
        synchronized (sidsBySubject) {
            if (!open || sidsBySubject.containsKey(subject)) {
                return;
            }
            long sid = ++nextSid;
            sidsBySubject.put(subject, sid);
            activeSids.add(sid);
            writes.control(Buffer.buffer(NatsCommands.subscribe(subject, sid)), onEventLoop());
        }
    }

    /** Ends a subscription; messages of it still on the way are not delivered. Any thread. */
    public void unsubscribe(String subject) {
        synchronized (sidsBySubject) {
            Long sid = sidsBySubject.remove(subject);
            if (sid == null) {
                return;
            }
            activeSids.remove(sid);
            if (open) {
                writes.control(Buffer.buffer(NatsCommands.unsubscribe(sid)), onEventLoop());
            }
        }
    }

    /** Writes what waits, then closes; the handler hears {@code closed} on the loop. Any thread. */
    public void close() {
        context.runOnContext(ignored -> {
            if (writes != null) {
                writes.flushAll();
            }
            lost("closed by this gateway");
            if (socket != null) {
                socket.close();
            }
        });
    }

    /** Bytes waiting to be handed to the socket (the hop queue, not Netty's). */
    public long waitingBytes() {
        NatsWrites current = writes;
        return current == null ? 0 : current.waitingBytes();
    }

    private void sendConnect() {
        NatsServerInfo current = info;
        NatsLogin.Connect connect;
        try {
            connect = login.connect(endpoint, current, socket.isSsl());
        } catch (RuntimeException e) {
            fail("cannot log in to " + endpoint + ": " + e.getMessage(), true);
            return;
        }
        loginSent = connect.kind();
        state = State.AWAIT_PONG;
        socket.write(Buffer.buffer(NatsCommands.connect(connect.json())).appendBytes(NatsCommands.PING));
    }

    private void established() {
        state = State.OPEN;
        context.owner().cancelTimer(handshakeTimer);
        open = true;
        pingTimer = context.owner().setPeriodic(pingIntervalMillis, ignored -> ping());
        handshake.tryComplete(this);
    }

    private void ping() {
        if (state != State.OPEN) {
            return;
        }
        if (pingsUnanswered >= 2) {
            lost("no PONG to " + pingsUnanswered + " PINGs in " + 2 * pingIntervalMillis + " ms");
            socket.close();
            return;
        }
        pingsUnanswered++;
        writes.control(Buffer.buffer(NatsCommands.PING), true);
    }

    private void fail(String why, boolean refused) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        context.owner().cancelTimer(handshakeTimer);
        if (socket != null) {
            socket.close();
        }
        handshake.tryFail(new HandshakeFailure(why, refused));
    }

    /** On the loop: the connection is gone (once); what waited to be written is lost with it. */
    private void lost(String why) {
        if (state == State.CLOSED) {
            return;
        }
        if (state != State.OPEN) {
            fail(why, false);
            return;
        }
        state = State.CLOSED;
        open = false;
        context.owner().cancelTimer(pingTimer);
        if (writes != null) {
            lostWithConnection = writes.discard();
        }
        handler.closed(this, why);
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** The parser's listener: on the event loop, in the order the server sent. */
    private final class Reader implements NatsParser.Listener {
        @Override
        public void info(String json) {
            NatsServerInfo received;
            try {
                received = NatsServerInfo.parse(json);
            } catch (IllegalArgumentException e) {
                lost(e.getMessage());
                socket.close();
                return;
            }
            info = received;
            parser.maxPayload(Math.max(received.maxPayload(), NatsServerInfo.DEFAULT_MAX_PAYLOAD));
            if (state != State.AWAIT_INFO) {
                return; // an update (new cluster members): read by the connector at the next reconnect
            }
            if ((endpoint.tls() || received.tlsRequired()) && !socket.isSsl()) {
                state = State.TLS;
                socket.upgradeToSsl(endpoint.host()).onComplete(upgraded -> {
                    if (upgraded.failed()) {
                        fail("TLS with " + endpoint + " failed: " + describe(upgraded.cause()), false);
                    } else if (state == State.TLS) {
                        sendConnect();
                    }
                });
            } else {
                sendConnect();
            }
        }

        @Override
        public void message(String subject, long sid, String replyTo, byte[] payload) {
            if (state == State.OPEN && activeSids.contains(sid)) {
                handler.message(subject, payload);
            }
        }

        @Override
        public void ping() {
            if (writes != null) {
                writes.control(Buffer.buffer(NatsCommands.PONG), true);
                serverPingsAnswered++;
            }
        }

        @Override
        public void pong() {
            if (state == State.AWAIT_PONG) {
                established();
            } else {
                pingsUnanswered = 0;
            }
        }

        @Override
        public void ok() {
            // verbose is off: a +OK is only a server's courtesy
        }

        @Override
        public void error(String text) {
            if (state == State.OPEN) {
                handler.serverError(text);
            } else {
                fail(endpoint + " refused the connection: '" + text + "'" + NatsErrors.refusalHint(text, loginSent),
                        true);
            }
        }
    }

    /** The server's PINGs this connection answered (a server that gets no PONG closes it as stale). */
    public long serverPingsAnswered() {
        return serverPingsAnswered;
    }
}
