package dev.skynetbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checked-in generated documentation: a test builds a page from the one place its facts are
 * declared and compares it with the file under {@code docs/}. A difference fails the build and
 * says how to regenerate; {@code -Dskynet.docs.update=true} rewrites the files instead.
 *
 * <pre>
 *   mvn -q -B test -Dtest='*DocsTest' -Dskynet.docs.update=true
 * </pre>
 */
public final class GeneratedDocs {

    /** The repository's docs folder (tests run with the project directory as working directory). */
    public static final Path DOCS = Path.of("docs");
    private static final String UPDATE_PROPERTY = "skynet.docs.update";

    private GeneratedDocs() {
    }

    /** Asserts {@code file} (relative to the project) holds exactly {@code generated}, or writes it in update mode. */
    public static void assertUpToDate(Path file, String generated) {
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, generated, StandardCharsets.UTF_8);
                return;
            }
            String checkedIn = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            assertThat(checkedIn)
                    .as("%s is generated from the code and differs from what the code declares now; regenerate it with"
                        + " mvn -q -B test -Dtest='*DocsTest' -D%s=true and commit the result", file, UPDATE_PROPERTY)
                    .isEqualTo(generated);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    /** A banner for the top of every generated page, so nobody edits it by hand. */
    public static String banner(String source) {
        return "<!-- Generated from " + source + " by the docs tests; do not edit by hand (see GeneratedDocs). -->\n\n";
    }
}
