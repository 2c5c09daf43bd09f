package dev.skynetbridge.app;

import dev.skynetbridge.server.acl.TokenHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The {@code hash-token} command: prints the {@code hash:} line of the access file for a secret.
 *
 * <pre>
 *   java -jar target/skynet-bridge.jar hash-token &lt;secret&gt;
 *   java -jar target/skynet-bridge.jar hash-token --iterations 600000 &lt;secret&gt;
 *   java -jar target/skynet-bridge.jar hash-token -            read the secret from standard input
 * </pre>
 *
 * The secret itself is never printed (it would land in terminal scroll-back and logs).
 */
final class HashTokenCommand {

    static final String NAME = "hash-token";
    /** Characters that survive a URL path, a query and a header unchanged, so client.lua can send them as they are. */
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final int SHORT_SECRET = 16;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    HashTokenCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        int iterations = TokenHash.DEFAULT_ITERATIONS;
        String secret = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--iterations") && i + 1 < args.length) {
                try {
                    iterations = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    return usage("--iterations needs a whole number");
                }
            } else if (secret == null) {
                secret = args[i];
            } else {
                return usage("one secret only (quote it if it has spaces, or pass - and type it)");
            }
        }
        if (secret == null) {
            return usage("no secret given");
        }
        if (secret.equals("-")) {
            try {
                secret = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return usage("cannot read the secret from standard input: " + e.getMessage());
            }
            if (secret == null || secret.isEmpty()) {
                return usage("standard input held no secret");
            }
        }
        if (!URL_SAFE.matcher(secret).matches()) {
            return usage("the secret travels in a URL (/connect/<name>:<secret>): use letters, digits and . _ ~ - only"
                    + " (no spaces, ':', '/', '?', '#', '%')");
        }
        TokenHash hash;
        try {
            hash = TokenHash.create(secret, iterations);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        out.println("hash: \"" + hash.encoded() + "\"");
        if (secret.length() < SHORT_SECRET) {
            err.println("warning: the secret has fewer than " + SHORT_SECRET + " characters; a longer random one is"
                    + " much harder to guess");
        }
        err.println("Put the hash line under the token's name in the access file; the client connects to"
                + " ws://<host>:<port>/connect/<name>:<secret>");
        return 0;
    }

    private int usage(String problem) {
        err.println("hash-token: " + problem);
        err.println("usage: java -jar skynet-bridge.jar hash-token [--iterations N] <secret>   (or - to read it from"
                + " standard input; default " + TokenHash.DEFAULT_ITERATIONS + " iterations)");
        return 2;
    }
}
