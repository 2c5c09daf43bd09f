package dev.skynetbridge.protocol.nats;

import dev.skynetbridge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what a NATS server sends, from chunks split anywhere (a read of a socket may end inside a control line or a
 * payload): {@code INFO {json}}, {@code MSG subject sid [reply] size} and its payload, {@code PING}, {@code PONG},
 * {@code +OK} and {@code -ERR 'text'}, each handed to the {@link Listener} once whole. Operation names are
 * case-insensitive, arguments may be separated by several spaces or tabs, as the protocol allows.
 *
 * <p>Bounded: a control line longer than {@link #MAX_CONTROL_LINE} bytes, or a payload larger than the limit given
 * ({@link #maxPayload(int)}: the server's {@code max_payload}), is a {@link ProtocolException} and nothing of it is
 * kept; the caller should then drop the connection, since the stream can no longer be followed.
 */
public final class NatsParser {

    /** What the server said, one call per whole operation, on the thread that feeds the parser. */
    public interface Listener {
        void info(String json);

        void message(String subject, long sid, String replyTo, byte[] payload);

        void ping();

        void pong();

        void ok();

        /** The text of a {@code -ERR}, without its quotes. */
        void error(String text);
    }

    /** The longest control line read (an INFO listing many cluster URLs fits). */
    public static final int MAX_CONTROL_LINE = 64 * 1024;
    /** NATS's own upper limit of max_payload: the bound until the server's INFO says less. */
    public static final int DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024;

    private final Listener listener;
    private int maxPayload = DEFAULT_MAX_PAYLOAD;

    private byte[] line = new byte[256];
    private int lineLength;

    /** Reading a MSG's payload (then its CRLF): what the control line said. */
    private boolean inPayload;
    private String subject;
    private long sid;
    private String replyTo;
    private byte[] payload;
    private int payloadFilled;
    /** CRLF bytes after the payload still to come (2, 1, then the message is whole). */
    private int trailerLeft;

    public NatsParser(Listener listener) {
        this.listener = listener;
    }

    /** The largest payload accepted from now on: the server's max_payload. */
    public void maxPayload(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("max payload must be positive, got " + bytes);
        }
        this.maxPayload = bytes;
    }

    public void feed(byte[] data) throws ProtocolException {
        feed(data, 0, data.length);
    }

    /** Reads one chunk; whole operations in it reach the listener before this returns. */
    public void feed(byte[] data, int offset, int length) throws ProtocolException {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (inPayload) {
                position = readPayload(data, position, end);
                continue;
            }
            int newline = indexOf(data, position, end, (byte) '\n');
            int upTo = newline < 0 ? end : newline;
            appendToLine(data, position, upTo - position);
            if (newline < 0) {
                return;
            }
            position = newline + 1;
            int lineEnd = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            controlLine(lineEnd);
        }
    }

    private int readPayload(byte[] data, int position, int end) throws ProtocolException {
        if (payloadFilled < payload.length) {
            int take = Math.min(payload.length - payloadFilled, end - position);
            System.arraycopy(data, position, payload, payloadFilled, take);
            payloadFilled += take;
            return position + take;
        }
        byte expected = trailerLeft == 2 ? (byte) '\r' : (byte) '\n';
        if (data[position] != expected) {
            throw new ProtocolException("NATS sent a MSG on " + subject + " whose payload is not followed by CRLF"
                    + " (its size did not match)");
        }
        trailerLeft--;
        if (trailerLeft == 0) {
            inPayload = false;
            byte[] whole = payload;
            payload = null;
            listener.message(subject, sid, replyTo, whole);
        }
        return position + 1;
    }

    private void appendToLine(byte[] data, int from, int count) throws ProtocolException {
        if (count == 0) {
            return;
        }
        if (lineLength + count > MAX_CONTROL_LINE) {
            lineLength = 0;
            throw new ProtocolException("NATS sent a control line longer than " + MAX_CONTROL_LINE + " bytes");
        }
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_CONTROL_LINE, Math.max(line.length * 2, lineLength + count)));
        }
        System.arraycopy(data, from, line, lineLength, count);
        lineLength += count;
    }

    private void controlLine(int length) throws ProtocolException {
        int opEnd = 0;
        while (opEnd < length && !isBlank(line[opEnd])) {
            opEnd++;
        }
        int argsStart = skipBlanks(opEnd, length);
        if (is("MSG", opEnd)) {
            startMessage(argsStart, length);
        } else if (is("PING", opEnd)) {
            listener.ping();
        } else if (is("PONG", opEnd)) {
            listener.pong();
        } else if (is("+OK", opEnd)) {
            listener.ok();
        } else if (is("-ERR", opEnd)) {
            listener.error(unquoted(text(argsStart, length).trim()));
        } else if (is("INFO", opEnd)) {
            listener.info(text(argsStart, length));
        } else if (opEnd == 0 && length == 0) {
            return; // an empty line between operations: harmless
        } else {
            throw new ProtocolException("NATS sent an operation this client does not know: '"
                    + text(0, Math.min(opEnd, 32)) + "'");
        }
    }

    /** {@code MSG <subject> <sid> [reply-to] <#bytes>}: the payload follows. */
    private void startMessage(int from, int length) throws ProtocolException {
        String[] args = new String[5];
        int count = 0;
        int position = from;
        while (position < length) {
            int tokenEnd = position;
            while (tokenEnd < length && !isBlank(line[tokenEnd])) {
                tokenEnd++;
            }
            if (count == args.length) {
                throw new ProtocolException("NATS sent a MSG line with too many arguments");
            }
            args[count++] = text(position, tokenEnd);
            position = skipBlanks(tokenEnd, length);
        }
        if (count != 3 && count != 4) {
            throw new ProtocolException("NATS sent a MSG line with " + count + " arguments (3 or 4 expected)");
        }
        int size = number(args[count - 1], "payload size");
        if (size > maxPayload) {
            throw new ProtocolException("NATS sent a MSG of " + size + " bytes, more than the " + maxPayload
                    + " bytes allowed");
        }
        subject = args[0];
        sid = number(args[1], "subscription id");
        replyTo = count == 4 ? args[2] : null;
        payload = new byte[size];
        payloadFilled = 0;
        trailerLeft = 2;
        inPayload = true;
    }

    private static int number(String digits, String what) throws ProtocolException {
        if (digits.isEmpty() || digits.length() > 10) {
            throw new ProtocolException("NATS sent a MSG whose " + what + " is not a number: '" + digits + "'");
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("NATS sent a MSG whose " + what + " is not a number: '" + digits + "'");
            }
            value = value * 10 + (c - '0');
        }
        if (value > Integer.MAX_VALUE) {
            throw new ProtocolException("NATS sent a MSG whose " + what + " is out of range: " + digits);
        }
        return (int) value;
    }

    private boolean is(String op, int opLength) {
        if (opLength != op.length()) {
            return false;
        }
        for (int i = 0; i < opLength; i++) {
            if (Character.toUpperCase((char) line[i]) != op.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int skipBlanks(int from, int length) {
        int position = from;
        while (position < length && isBlank(line[position])) {
            position++;
        }
        return position;
    }

    private String text(int from, int to) {
        return new String(line, from, Math.max(0, to - from), StandardCharsets.UTF_8);
    }

    private static String unquoted(String text) {
        return text.length() >= 2 && text.startsWith("'") && text.endsWith("'")
                ? text.substring(1, text.length() - 1) : text;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] data, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
