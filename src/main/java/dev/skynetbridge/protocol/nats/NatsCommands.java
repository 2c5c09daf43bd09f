package dev.skynetbridge.protocol.nats;

import java.nio.charset.StandardCharsets;

/** The commands a NATS client writes, as bytes: {@code CONNECT}, {@code PUB}, {@code SUB}, {@code UNSUB}, pings. */
public final class NatsCommands {

    public static final byte[] PING = ascii("PING\r\n");
    public static final byte[] PONG = ascii("PONG\r\n");
    private static final byte[] CRLF = ascii("\r\n");

    private NatsCommands() {
    }

    /** {@code CONNECT {json}}: the options object, already JSON. */
    public static byte[] connect(String json) {
        return ascii("CONNECT " + json + "\r\n");
    }

    /** {@code PUB subject size}, the payload and its CRLF, in one array (one socket write). */
    public static byte[] publish(String subject, byte[] payload) {
        byte[] head = ascii("PUB " + checkedSubject(subject) + " " + payload.length + "\r\n");
        byte[] frame = new byte[head.length + payload.length + CRLF.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(payload, 0, frame, head.length, payload.length);
        System.arraycopy(CRLF, 0, frame, head.length + payload.length, CRLF.length);
        return frame;
    }

    public static byte[] subscribe(String subject, long sid) {
        return ascii("SUB " + checkedSubject(subject) + " " + sid + "\r\n");
    }

    public static byte[] unsubscribe(long sid) {
        return ascii("UNSUB " + sid + "\r\n");
    }

    /** A subject is one word of the protocol line: no blanks, no line breaks, not empty. */
    static String checkedSubject(String subject) {
        if (subject.isEmpty()) {
            throw new IllegalArgumentException("a NATS subject cannot be empty");
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                throw new IllegalArgumentException("a NATS subject cannot hold blanks or line breaks: '" + subject + "'");
            }
        }
        return subject;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
