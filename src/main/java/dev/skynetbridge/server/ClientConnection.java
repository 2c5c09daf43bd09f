package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v1.V1Codec;
import dev.skynetbridge.protocol.v1.V1Request;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2Request;
import dev.skynetbridge.server.acl.Decision;
import dev.skynetbridge.server.acl.TokenRules;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One websocket client of the embedded server. Reads requests on its event loop, checking each
 * against its {@link ConnectionAccess}; what it writes (replies and deliveries from any thread)
 * goes through its {@link ConnectionOutbox}. A refused request is answered in the protocol's own
 * error form and the connection stays open.
 */
final class ClientConnection implements SkynetHub.Listener, Participant {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    /** Websocket close code "policy violation": a slow client dropped, or a revoked token. */
    static final short CLOSE_POLICY = 1008;
    static final short CLOSE_TOO_SLOW = CLOSE_POLICY;
    static final short CLOSE_TOO_BIG = 1009;
    static final short CLOSE_NORMAL = 1000;
    static final String ACCESS_DENIED = "access_denied";
    static final String RATE_LIMITED = "rate_limited";
    static final String LIMIT_EXCEEDED = "limit_exceeded";

    enum Protocol { UNDECIDED, V2, V1 }

    private final ServerWebSocket socket;
    private final Context context;
    private final ServerSide server;
    private final SkynetHub.Member member;
    private final HubMetrics metrics;
    private final ConnectionAccess access;
    private final Runnable onFinished;
    private final FrameAssembler assembler;
    private final String remote;

    private final ConnectionOutbox outbox;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Protocol protocol;
    /** Requests are no longer read (a close is queued behind the replies owed). Event loop only. */
    private boolean closing;

    /**
     * @param onFinished runs once when the connection is gone (releases its connection slot)
     */
    ClientConnection(ServerWebSocket socket, Context context, ServerSide server, Protocol protocol,
            ConnectionAccess access, Runnable onFinished) {
        this.socket = socket;
        this.context = context;
        this.server = server;
        this.metrics = server.hub().metrics();
        this.access = access;
        this.onFinished = onFinished;
        this.assembler = new FrameAssembler(server.options().maxFrameSize());
        this.protocol = protocol;
        this.remote = String.valueOf(socket.remoteAddress());
        this.outbox = new ConnectionOutbox(socket, context, server.options(), metrics,
                () -> this.protocol == Protocol.V1, this);
        // Last: joining makes this connection visible to other threads (the console lists the hub's members).
        this.member = server.hub().join(this, this);
    }

    void start() {
        metrics.connectionsOpened.increment();
        if (protocol == Protocol.V1) {
            metrics.v1ConnectionsOpen.increment();
        }
        server.accessControl().register(this);
        applyWildcardFilter(access.rules());
        socket.frameHandler(this::onFrame);
        socket.exceptionHandler(this::onError);
        socket.closeHandler(v -> finish());
    }

    /** For log lines: the address and who it is (with an access file), never a secret. */
    String describe() {
        return access.identity().kind() == Identity.Kind.OPEN ? remote : remote + " (" + access.identity().describe() + ")";
    }

    /** Called after the access file was reloaded, from any thread. */
    void rulesChanged() {
        context.runOnContext(v -> reapplyRules());
    }

    /** Called by {@link OversizeFrameGuard} on this connection's event loop. */
    void oversizeFrame() {
        metrics.oversizeFrames.increment();
        LOG.info("Closing {}: frame over the maximum size ({} bytes); raise skynet.server.max-frame-size if it is"
                 + " legitimate", describe(), server.options().maxFrameSize());
        closeAfterReplies(CLOSE_TOO_BIG, "frame too big");
    }

    // ------------------------------------------------------------------ inbound

    private void onFrame(WebSocketFrame frame) {
        if (closing) {
            return;
        }
        FrameAssembler.Message message = assembler.accept(frame);
        if (message == null) {
            return;
        }
        if (message == FrameAssembler.TOO_BIG) {
            oversizeFrame();
            return;
        }
        Refusal overRate = access.chargeRequest(message.bytes().length);
        if (overRate != null) {
            refuseForRate(overRate);
            return;
        }
        if (!message.text()) {
            if (protocol == Protocol.V1) {
                reply(V1Codec.encodeError("v1 expects JSON text frames"));
                return;
            }
            protocol = Protocol.V2;
            handleV2(message.bytes());
            return;
        }
        if (protocol == Protocol.UNDECIDED) {
            // A v2 request is a CBOR array and can never start with '{': such a first frame is v1 JSON.
            protocol = startsWithBrace(message.bytes()) ? Protocol.V1 : Protocol.V2;
            if (protocol == Protocol.V1) {
                metrics.v1ConnectionsOpen.increment();
            }
        }
        if (protocol == Protocol.V1) {
            String text = strictUtf8(message.bytes());
            if (text == null) {
                protocolError("invalid UTF-8 in a text frame");
                reply(V1Codec.encodeError("Invalid JSON: the text frame is not valid UTF-8"));
                return;
            }
            handleV1(text);
        } else {
            // Old Lua clients sent CBOR inside text frames: the raw bytes, as the reference reads them.
            handleV2(message.bytes());
        }
    }

    /** @return null when the bytes are not valid UTF-8 (JSON must be) */
    private static String strictUtf8(byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static boolean startsWithBrace(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private void handleV2(byte[] frame) {
        V2Request request;
        try {
            request = V2Codec.decodeRequest(frame);
        } catch (ProtocolException e) {
            protocolError(e.getMessage());
            reply(Buffer.buffer(V2Codec.encodeError(e.getMessage())));
            return;
        }
        if (request instanceof V2Request.Open open) {
            openChannel(open.channel());
        } else if (request instanceof V2Request.Close close) {
            member.close(close.channel());
        } else if (request instanceof V2Request.Send send) {
            if (maySend(send.message().channel())) {
                member.publish(send.message());
                metrics.messagesFromV2.increment();
            }
        }
    }

    private void handleV1(String frame) {
        V1Request request;
        try {
            request = V1Codec.decodeRequest(frame);
        } catch (ProtocolException e) {
            protocolError(e.getMessage());
            reply(V1Codec.encodeError(e.getMessage()));
            return;
        }
        if (request instanceof V1Request.Open open) {
            if (openChannel(open.channel())) {
                reply(V1Codec.encodeOpenResult(member.channels()));
            }
        } else if (request instanceof V1Request.Close close) {
            if (member.close(close.channel())) {
                reply(V1Codec.encodeCloseResult(member.channels()));
            } else {
                reply(V1Codec.encodeError("Channel " + JsonValues.toJson(close.channel().value()) + " is not open"));
            }
        } else if (request instanceof V1Request.Message message) {
            SkynetMessage sent = message.message();
            if (maySend(sent.channel())) {
                reply(V1Codec.encodeMessageResult(member.publish(sent).message()));
                metrics.messagesFromV1.increment();
            }
        } else if (request instanceof V1Request.Log log) {
            TokenRules rules = access.rules();
            reply(V1Codec.encodeLogResult(server.hub().log().slice(log.start(), log.end(),
                    channel -> rules.open(channel).granted())));
        }
    }

    /** Opens the channel if the rules and the channel limit allow; otherwise answers with the error. */
    private boolean openChannel(Channel channel) {
        if (member.isOpen(channel)) {
            return true;
        }
        Decision decision = access.open(channel);
        if (!decision.granted()) {
            refuse(decision == Decision.DENIED_BY_RULE ? Refusal.OPEN_DENIED : Refusal.OPEN_NO_RULE, ACCESS_DENIED,
                    access.refusedOpen(channel, decision));
            return false;
        }
        if (!access.mayOpenAnother(member.channelCount())) {
            refuse(Refusal.TOO_MANY_CHANNELS, LIMIT_EXCEEDED, access.tooManyChannels(channel));
            return false;
        }
        member.open(channel);
        return true;
    }

    private boolean maySend(Channel channel) {
        Decision decision = access.send(channel);
        if (decision.granted()) {
            return true;
        }
        refuse(decision == Decision.DENIED_BY_RULE ? Refusal.SEND_DENIED : Refusal.SEND_NO_RULE, ACCESS_DENIED,
                access.refusedSend(channel, decision));
        return false;
    }

    private void refuse(Refusal reason, String kind, String detail) {
        metrics.access().count(reason);
        server.refusalLog().warn("Refused a request of {}: {} (counted in access.refused.{})", describe(), detail,
                reason.key());
        replyError(kind, detail);
    }

    private void refuseForRate(Refusal reason) {
        metrics.access().count(reason);
        if (access.rateErrorDue()) {
            String detail = access.overRate(reason);
            server.refusalLog().warn("Dropping requests of {}: {} (counted in access.refused.{})", describe(), detail,
                    reason.key());
            replyError(RATE_LIMITED, detail);
        }
    }

    private void protocolError(String detail) {
        metrics.protocolErrors.increment();
        LOG.debug("Protocol error from {}: {}", describe(), detail);
    }

    private void onError(Throwable error) {
        if (isOversize(error)) {
            // Only without the guard in the pipeline (see SkynetServer); Vert.x closes the connection itself then.
            oversizeFrame();
        } else {
            LOG.debug("Websocket error from {}: {}", describe(), String.valueOf(error.getMessage()));
        }
    }

    private static boolean isOversize(Throwable error) {
        return error instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException corrupted
                && corrupted.closeStatus().code() == CLOSE_TOO_BIG;
    }

    // ------------------------------------------------------------------ access file reloads

    private void reapplyRules() {
        if (closing || finished.get()) {
            return;
        }
        TokenRules rules = server.accessControl().rulesFor(access.identity());
        if (rules == null) {
            metrics.access().count(Refusal.REVOKED);
            LOG.info("Closing {}: the access file changed and no longer admits it (token removed, its hash changed,"
                     + " or anonymous connections no longer allowed)", describe());
            replyError(ACCESS_DENIED, "the access file changed and this connection's token is no longer valid");
            closeAfterReplies(CLOSE_POLICY, "token revoked");
            return;
        }
        access.rules(rules);
        applyWildcardFilter(rules);
        for (Channel channel : member.channels()) {
            if (!rules.open(channel).granted()) {
                member.close(channel);
                metrics.access().count(Refusal.READ_LOST);
                LOG.info("Closed channel {} of {}: the access file changed and it may no longer read it",
                        channel.canonical(), describe());
                replyError(ACCESS_DENIED, access.lostRead(channel));
            }
        }
    }

    /** A "*" listener skips the channels a deny rule names; without deny rules it needs no check per message. */
    private void applyWildcardFilter(TokenRules rules) {
        member.wildcardFilter(rules.hasDenyRules() ? rules::receivesAsWildcard : null);
    }

    // ------------------------------------------------------------------ closing

    /** Stops reading, stops deliveries, and closes once the replies already queued are written. */
    private void closeAfterReplies(short code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        member.leave();
        outbox.closeAfterQueued(code, reason);
    }

    /** The connection is gone (closed by either side): runs once. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            outbox.shut();
            member.leave();
            server.accessControl().unregister(this);
            metrics.connectionsClosed.increment();
            if (protocol == Protocol.V1) {
                metrics.v1ConnectionsOpen.decrement();
            }
            onFinished.run();
        }
    }

    // ------------------------------------------------------------------ what the console shows

    @Override
    public String kind() {
        return protocol == Protocol.UNDECIDED ? "pending" : protocol.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String address() {
        return describe();
    }

    /** Frames waiting in this connection's send queue. */
    @Override
    public int queueDepth() {
        return outbox.depth();
    }

    @Override
    public long dropped() {
        return outbox.dropped();
    }

    /** From any thread: the replies already queued are written, then the websocket closes normally. */
    @Override
    public boolean disconnect(String reason) {
        LOG.info("Closing {}: {}", describe(), reason);
        context.runOnContext(v -> closeAfterReplies(CLOSE_NORMAL, reason));
        return true;
    }

    // ------------------------------------------------------------------ outbound

    @Override
    public void onMessage(Delivery delivery) {
        outbox.push(delivery);
    }

    /** Replies go through the same queue as pushes so the client sees them in order. */
    private void reply(Object frame) {
        outbox.push(frame);
    }

    private void replyError(String kind, String detail) {
        if (protocol == Protocol.V1) {
            reply(V1Codec.encodeError(detail));
        } else {
            reply(Buffer.buffer(V2Codec.encodeError(kind, detail)));
        }
    }
}
