package dev.skynetbridge.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Joins a websocket message's frames into its raw bytes, text frames included: old Lua clients
 * put CBOR in text frames, so their bytes must not be decoded as UTF-8 on the way (Vert.x's own
 * text handler does, replacing invalid bytes). Netty already refuses frames out of sequence and
 * single frames over the size limit; this refuses messages whose fragments add up to more.
 */
final class FrameAssembler {

    /** A whole message: its bytes and whether it came in text frames. */
    record Message(boolean text, byte[] bytes) {
    }

    /** Returned by {@link #accept} for a message over the limit; the connection is to be closed (1009). */
    static final Message TOO_BIG = new Message(false, new byte[0]);

    private final int maxMessageSize;
    private Buffer partial;
    private boolean partialIsText;

    FrameAssembler(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** @return the message this frame completes, {@link #TOO_BIG}, or null (more fragments to come, or a control frame) */
    Message accept(WebSocketFrame frame) {
        if (frame.isText() || frame.isBinary()) {
            partial = null;
            if (frame.isFinal()) {
                return new Message(frame.isText(), frame.binaryData().getBytes());
            }
            partialIsText = frame.isText();
            partial = Buffer.buffer().appendBuffer(frame.binaryData());
            return partial.length() > maxMessageSize ? tooBig() : null;
        }
        if (frame.isContinuation() && partial != null) {
            partial.appendBuffer(frame.binaryData());
            if (partial.length() > maxMessageSize) {
                return tooBig();
            }
            if (frame.isFinal()) {
                Message message = new Message(partialIsText, partial.getBytes());
                partial = null;
                return message;
            }
        }
        return null;
    }

    private Message tooBig() {
        partial = null;
        return TOO_BIG;
    }
}
