package dev.skynetbridge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The byte-exact vectors from {@code shared/protocol}, copied to {@code src/test/resources/vectors}.
 * A vector is looked up by the label that starts its line; its bytes are the hex groups that
 * follow the label, up to the first word that is not hex.
 */
public final class GoldenVectors {

    private final List<String> lines;

    private GoldenVectors(String text) {
        this.lines = text.lines().toList();
    }

    public static GoldenVectors load(String resource) {
        try (InputStream in = GoldenVectors.class.getResourceAsStream("/vectors/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource vectors/" + resource);
            }
            return new GoldenVectors(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes(String label) {
        return Hex.bytes(hex(label));
    }

    public String hex(String label) {
        for (String line : lines) {
            if (line.startsWith(label + " ")) {
                StringBuilder hex = new StringBuilder();
                for (String word : line.substring(label.length()).trim().split("\\s+")) {
                    if (!word.matches("(?:[0-9a-f]{2})+")) {
                        break;
                    }
                    hex.append(word);
                }
                if (hex.length() == 0) {
                    throw new IllegalStateException("Vector '" + label + "' has no hex on its line");
                }
                return hex.toString();
            }
        }
        throw new IllegalStateException("No vector labelled '" + label + "'");
    }

    /** The value on the line after {@code label:} or on the next non-blank line (the RPC file's layout). */
    public String hexBlock(String label) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(label + " (") || lines.get(i).startsWith(label + ":")) {
                return lines.get(i + 1).trim();
            }
        }
        throw new IllegalStateException("No vector block labelled '" + label + "'");
    }
}
