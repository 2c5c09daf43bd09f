package dev.skynetbridge.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ComputerCraft installer on the Skynet port. {@code GET /install[?token=T]} answers a Lua
 * program for {@code wget run}: a few generated lines naming the address the computer used (and
 * the websocket URL, {@code /connect/<token>} when a token is given), then {@code install.lua}.
 * It downloads the client library and the demo from {@code GET /computercraft/<file>}. Every
 * file is served byte for byte as the jar holds it ({@code src/main/resources/computercraft/}).
 */
final class ComputerCraftFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ComputerCraftFiles.class);

    static final String INSTALL_PATH = "/install";
    static final String FILES_PATH = "/computercraft/";
    static final String RESOURCE_FOLDER = "computercraft/";
    static final List<String> FILES = List.of("install.lua", "skynet.lua", "skynet-demo.lua");
    static final String TOKEN_PARAMETER = "token";
    /** A token is a password, not a document: longer ones are refused rather than put in every URL. */
    static final int MAX_TOKEN_LENGTH = 256;

    private final Map<String, Buffer> files;

    private ComputerCraftFiles(Map<String, Buffer> files) {
        this.files = files;
    }

    /** Reads the files from the classpath; a jar without them is broken, so this fails at start-up. */
    static ComputerCraftFiles load() {
        Map<String, Buffer> files = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = ComputerCraftFiles.class.getClassLoader().getResourceAsStream(RESOURCE_FOLDER + name)) {
                if (in == null) {
                    throw new IllegalStateException("The ComputerCraft file " + RESOURCE_FOLDER + name
                            + " is missing from the classpath: rebuild the jar (mvn -q -B -DskipTests package)");
                }
                files.put(name, Buffer.buffer(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + RESOURCE_FOLDER + name, e);
            }
        }
        return new ComputerCraftFiles(Map.copyOf(files));
    }

    /** Answers the request when it is for the installer or one of its files; false leaves it to the caller. */
    boolean handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            return false;
        }
        String path = request.path();
        if (INSTALL_PATH.equals(path) || (INSTALL_PATH + "/").equals(path)) {
            serveInstaller(request);
            return true;
        }
        if (path.startsWith(FILES_PATH)) {
            Buffer file = files.get(path.substring(FILES_PATH.length()));
            if (file != null) {
                LOG.debug("ComputerCraft file {} sent to {}", path, request.remoteAddress());
                send(request, file);
                return true;
            }
        }
        return false;
    }

    private void serveInstaller(HttpServerRequest request) {
        GatewayAddress address;
        try {
            address = GatewayAddress.of(request);
        } catch (IllegalArgumentException e) {
            refuse(request, "Cannot write an installer for this request: " + e.getMessage()
                    + ". Fetch it with the gateway's address, e.g. wget run http://192.168.1.20:3030/install");
            return;
        }
        String token = request.getParam(TOKEN_PARAMETER);
        if (token != null && (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)) {
            refuse(request, "The token must be 1 to " + MAX_TOKEN_LENGTH + " characters: install?token=<token>");
            return;
        }
        String connect = SkynetServer.V2_PATH + "/";
        String server = address.websocketUrl(connect + (token == null ? "" : GatewayAddress.pathSegment(token)));
        String shownServer = address.websocketUrl(connect + (token == null ? "" : "<token>"));
        String prologue = "-- Written by skynet-bridge for " + address.httpUrl("") + ", the address this computer used;"
                + " the rest is install.lua as the gateway holds it.\n"
                + "local GATEWAY = {\n"
                + "    files = " + luaString(address.httpUrl(FILES_PATH)) + ",\n"
                + "    server = " + luaString(server) + ",\n"
                + "    shown_server = " + luaString(shownServer) + ",\n"
                + "}\n";
        LOG.info("ComputerCraft installer sent to {} for {}{}", request.remoteAddress(), shownServer,
                token == null ? "" : " (with a token)");
        send(request, Buffer.buffer(prologue).appendBuffer(files.get("install.lua")));
    }

    private static void send(HttpServerRequest request, Buffer body) {
        request.response()
                .putHeader("content-type", "text/plain; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .end(body);
    }

    private static void refuse(HttpServerRequest request, String reason) {
        LOG.info("ComputerCraft installer refused for {}: {}", request.remoteAddress(), reason);
        request.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8").end(reason + "\n");
    }

    /** A Lua string literal; anything outside printable ASCII is written as a decimal escape. */
    static String luaString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append('\\').append(String.format(Locale.ROOT, "%03d", c));
            }
        }
        return out.append('"').toString();
    }
}
