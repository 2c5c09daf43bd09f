package dev.skynetbridge.testsupport;

import dev.skynetbridge.server.acl.TokenHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes access files for tests: tokens with fresh secrets (hashed with few iterations, so a
 * test connects in milliseconds) and rules given as YAML flow lines.
 */
public final class AccessFiles {

    /** Enough for the format and for tests; the product's default is far higher. */
    public static final int TEST_ITERATIONS = TokenHash.MIN_ITERATIONS;

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> hashes = new LinkedHashMap<>();

    /** A token's secret, made (and hashed) on first use and the same afterwards. */
    public String secret(String name) {
        return secrets.computeIfAbsent(name, n -> {
            String secret = TestSecrets.create();
            hashes.put(n, TokenHash.create(secret, TEST_ITERATIONS).encoded());
            return secret;
        });
    }

    /** {@code name:secret}, what a client presents. */
    public String token(String name) {
        return name + ":" + secret(name);
    }

    /** The YAML of one token with its rules, e.g. {@code tokenYaml("a", "{ allow: read, channels: [1] }")}. */
    public String tokenYaml(String name, String... rules) {
        secret(name);
        StringBuilder yaml = new StringBuilder("  - name: " + name + "\n    hash: \"" + hashes.get(name) + "\"\n"
                + "    rules:" + (rules.length == 0 ? " []" : "") + "\n");
        for (String rule : rules) {
            yaml.append("      - ").append(rule).append('\n');
        }
        return yaml.toString();
    }

    /** {@code anonymous:} with its rules. */
    public static String anonymousYaml(String... rules) {
        StringBuilder yaml = new StringBuilder("anonymous:\n  rules:" + (rules.length == 0 ? " []" : "") + "\n");
        for (String rule : rules) {
            yaml.append("    - ").append(rule).append('\n');
        }
        return yaml.toString();
    }

    /** Writes {@code tokens:} + the token blocks + the rest, replacing the file in one step (as editors do). */
    public static void write(Path file, String tokenBlocks, String rest) {
        String text = (tokenBlocks.isEmpty() ? "" : "tokens:\n" + tokenBlocks) + rest;
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
