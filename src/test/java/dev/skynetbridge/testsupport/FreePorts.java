package dev.skynetbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks ephemeral ports on 127.0.0.1 for servers that need their port before they bind
 * (a broker config file, a restart on the same port). Never use fixed ports in tests.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** One port that was free a moment ago. */
    public static int pick() {
        return pick(1).get(0);
    }

    /** {@code count} distinct ports: all sockets stay open until every port is chosen, so none repeats. */
    public static List<Integer> pick(int count) {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            List<Integer> ports = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port was read already; a failed close cannot make it less free
                }
            }
        }
    }
}
