package dev.skynetbridge.rpc;

import java.util.ArrayList;
import java.util.List;

/** One host:port of a skynet service instance; IPv6 hosts are written and read in brackets ({@code [::1]:9000}). */
public record RpcAddress(String host, int port) {

    /** @throws IllegalArgumentException naming the entry and what is wrong with it */
    public static RpcAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("address entry '" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address entry '" + text + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address entry '" + text + "' has port out of range 1..65535");
        }
        return new RpcAddress(host, port);
    }

    /**
     * A comma-separated list, most preferred first; blank entries are skipped, null or blank is an empty list.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static List<RpcAddress> parseList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        List<RpcAddress> list = new ArrayList<>();
        for (String entry : commaSeparated.split(",")) {
            if (!entry.isBlank()) {
                list.add(parse(entry.trim()));
            }
        }
        return List.copyOf(list);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
