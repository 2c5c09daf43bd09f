package dev.skynetbridge.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Sits between Netty's websocket decoder and Vert.x. When the decoder refuses a frame over the
 * size limit it raises an exception on which Vert.x closes the TCP connection at once, in the
 * middle of the read: the replies owed for frames that arrived before it in the same read were
 * only queued, and Vert.x's own close frame was never flushed, so the client got nothing. This
 * takes that one exception away from Vert.x and lets the connection answer what came before,
 * then close with 1009. Every other exception passes on unchanged.
 */
final class OversizeFrameGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "skynet-oversize-guard";

    private final Runnable onOversize;
    private boolean reported;

    /** @param onOversize runs on the connection's event loop, after the frames decoded before */
    OversizeFrameGuard(Runnable onOversize) {
        this.onOversize = onOversize;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted
                && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            // the decoder now discards the rest of the input; one report is enough
            if (!reported) {
                reported = true;
                onOversize.run();
            }
            return;
        }
        context.fireExceptionCaught(cause);
    }
}
