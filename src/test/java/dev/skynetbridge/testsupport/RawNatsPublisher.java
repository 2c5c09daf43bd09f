package dev.skynetbridge.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Another program on NATS, speaking NATS's text protocol over a plain socket (CONNECT, PUB, PING): it publishes what a
 * test says on any subject, with no client library of the gateway's involved. {@link #flush()} returns once the
 * server has processed everything published before it; {@link #close()} drops the connection as a crash would.
 */
public final class RawNatsPublisher implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    public RawNatsPublisher(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String info = in.readLine();
            if (info == null || !info.startsWith("INFO ")) {
                throw new IllegalStateException("not a NATS server on port " + port + ": " + info);
            }
            out.write("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"raw-test-publisher\"}\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void publish(String subject, byte[] body) {
        try {
            out.write(("PUB " + subject + " " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PING, and wait for the PONG: the server has read everything before it. */
    public void flush() {
        try {
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (String line = in.readLine(); ; line = in.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("NATS closed the connection");
                }
                if (line.startsWith("-ERR")) {
                    throw new IllegalStateException("NATS refused: " + line);
                }
                if (line.equals("PONG")) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
