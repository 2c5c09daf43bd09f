package dev.skynetbridge.camel.rpc;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny skynet service peer on a real TCP socket (loopback, ephemeral port) that runs a script per connection. Used
 * to make the producer face what a Go service does, including what a well-behaved one never does.
 */
final class FakeSkynetService implements AutoCloseable {

    /** What the fake does with one accepted connection. */
    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** One accepted connection, with blocking helpers to read and write whole BSON documents. */
    static final class Peer {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        byte[] readDocument() throws IOException {
            return FakeSkynetService.readDocument(in);
        }

        void write(byte[]... documents) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] document : documents) {
                all.writeBytes(document);
            }
            out.write(all.toByteArray());
            out.flush();
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> scriptFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    FakeSkynetService(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> acceptLoop(script), "fake-skynet-service-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int acceptedConnections() {
        return accepted.get();
    }

    List<Throwable> scriptFailures() {
        return scriptFailures;
    }

    private void acceptLoop(Script script) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                Thread handler = new Thread(() -> {
                    try (socket) {
                        script.run(new Peer(socket));
                    } catch (Throwable e) {
                        if (!server.isClosed()) {
                            scriptFailures.add(e);
                        }
                    }
                }, "fake-skynet-peer");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    static byte[] readDocument(InputStream in) throws IOException {
        byte[] prefix = in.readNBytes(4);
        if (prefix.length < 4) {
            throw new EOFException("stream ended before a BSON document");
        }
        int length = (prefix[0] & 0xff) | (prefix[1] & 0xff) << 8 | (prefix[2] & 0xff) << 16 | (prefix[3] & 0xff) << 24;
        byte[] document = new byte[length];
        System.arraycopy(prefix, 0, document, 0, 4);
        int read = in.readNBytes(document, 4, length - 4);
        if (read < length - 4) {
            throw new EOFException("stream ended inside a BSON document");
        }
        return document;
    }
}
