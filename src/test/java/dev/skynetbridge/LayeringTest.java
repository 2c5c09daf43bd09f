package dev.skynetbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers true (see package-info.java of dev.skynetbridge and DESIGN.md): protocol &lt; support &lt;
 * server, client, rpc, mqtt, broker &lt; camel &lt; bridge &lt; app. A class may use its own top-level package and
 * those of lower layers, never a higher one nor a peer of its own layer; nothing below camel touches Camel; the
 * protocol codecs do no I/O and start no threads. Plain source scanning: comments and string literals are ignored,
 * imports and fully qualified names both count.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String ROOT = "dev.skynetbridge";

    /** Layer of each top-level package under dev.skynetbridge; a new package must be added here. */
    static final Map<String, Integer> LAYERS = Map.of(
            "protocol", 0,
            "support", 1,
            "server", 2, "client", 2, "rpc", 2, "mqtt", 2, "broker", 2,
            "camel", 3,
            "bridge", 4,
            "app", 5);
    private static final int CAMEL_LAYER = 3;

    /** What the pure protocol layer must not use: frameworks, network and file I/O, thread pools. */
    private static final List<String> NOT_IN_PROTOCOL = List.of("io.vertx", "io.netty",
            "com.hivemq", "org.apache.kafka", "org.slf4j", "java.net.", "java.nio.file.", "java.nio.channels.",
            "java.util.concurrent.Executor", "java.util.concurrent.ScheduledExecutorService",
            "java.util.concurrent.CompletableFuture", "java.util.concurrent.ThreadPoolExecutor", "new Thread(");

    private static final Pattern PROJECT_REFERENCE = Pattern.compile("\\bdev\\.skynetbridge\\.([a-z][a-z0-9]*)");

    @Test
    void noClassUsesAHigherLayerOrAPeer() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files = javaFiles();
        assertThat(files).as("the sources under " + SOURCES.toAbsolutePath()).hasSizeGreaterThan(50);
        for (Path file : files) {
            violations.addAll(violations(SOURCES.relativize(file).toString(), Files.readString(file)));
        }
        assertThat(violations).as("layering violations (file:line: problem)").isEmpty();
    }

    @Test
    void everyPackageSaysWhatItHoldsAndMayImport() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                boolean hasClasses;
                try (Stream<Path> files = Files.list(dir)) {
                    hasClasses = files.anyMatch(f -> f.toString().endsWith(".java"));
                }
                if (hasClasses && !Files.exists(dir.resolve("package-info.java"))) {
                    missing.add(SOURCES.relativize(dir) + ": add a package-info.java of 2-3 lines: what the package"
                                + " holds and what it may import");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theCheckFindsAnUpwardImportAPeerImportCamelBelowCamelAndIoInTheProtocol() {
        assertThat(violations("dev/skynetbridge/server/X.java", """
                package dev.skynetbridge.server;
                import dev.skynetbridge.protocol.Channel;
                // a comment naming dev.skynetbridge.app is fine
                import dev.skynetbridge.camel.SkynetComponent;
                class X { String s = "dev.skynetbridge.app in a string is fine"; dev.skynetbridge.client.SkynetClient c; }
                """)).containsExactly(
                "dev/skynetbridge/server/X.java:4: uses dev.skynetbridge.camel (layer 3, above server's 2)",
                "dev/skynetbridge/server/X.java:5: uses dev.skynetbridge.client (a peer of server in layer 2)");
        assertThat(violations("dev/skynetbridge/mqtt/Y.java", """
                package dev.skynetbridge.mqtt;
                /* org.apache.camel in a comment */
                import org.apache.camel.Exchange;
                """)).containsExactly("dev/skynetbridge/mqtt/Y.java:3: uses org.apache.camel below the camel layer");
        assertThat(violations("dev/skynetbridge/protocol/v2/Z.java", """
                package dev.skynetbridge.protocol.v2;
                import java.net.URI;
                """)).containsExactly("dev/skynetbridge/protocol/v2/Z.java:2: uses java.net. in the pure protocol layer");
        assertThat(violations("dev/skynetbridge/newthing/W.java", "package dev.skynetbridge.newthing;\n"))
                .singleElement().asString().contains("not in LayeringTest.LAYERS");
        assertThat(violations("dev/skynetbridge/app/A.java", """
                package dev.skynetbridge.app;
                import dev.skynetbridge.bridge.kafka.ArchiveValueFormat;
                import dev.skynetbridge.server.SkynetServer;
                import org.apache.camel.main.Main;
                """)).isEmpty();
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The problems of one source file, each as {@code file:line: problem}. */
    static List<String> violations(String file, String source) {
        List<String> problems = new ArrayList<>();
        String own = topLevelPackageOf(file);
        if (own.isEmpty() && file.endsWith("package-info.java")) {
            return problems; // the root package only describes the layers
        }
        Integer ownLayer = LAYERS.get(own);
        if (ownLayer == null) {
            problems.add(file + ": package dev.skynetbridge." + own + " is not in LayeringTest.LAYERS; add it at its"
                         + " layer (and a package-info.java saying what it may import)");
            return problems;
        }
        String[] lines = withoutCommentsAndStrings(source).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = file + ":" + (i + 1) + ": ";
            Matcher reference = PROJECT_REFERENCE.matcher(line);
            while (reference.find()) {
                String target = reference.group(1);
                Integer targetLayer = LAYERS.get(target);
                if (target.equals(own) || targetLayer == null || line.trim().startsWith("package ")) {
                    continue;
                }
                if (targetLayer > ownLayer) {
                    problems.add(where + "uses " + ROOT + "." + target + " (layer " + targetLayer + ", above " + own
                                 + "'s " + ownLayer + ")");
                } else if (targetLayer.equals(ownLayer)) {
                    problems.add(where + "uses " + ROOT + "." + target + " (a peer of " + own + " in layer " + ownLayer
                                 + ")");
                }
            }
            if (ownLayer < CAMEL_LAYER && line.contains("org.apache.camel")) {
                problems.add(where + "uses org.apache.camel below the camel layer");
            }
            if (ownLayer == 0) {
                for (String banned : NOT_IN_PROTOCOL) {
                    if (line.contains(banned)) {
                        problems.add(where + "uses " + banned + " in the pure protocol layer");
                    }
                }
            }
        }
        return problems;
    }

    private static String topLevelPackageOf(String file) {
        String[] parts = file.replace('\\', '/').split("/");
        // dev/skynetbridge/<top>/...
        return parts.length > 3 ? parts[2] : "";
    }

    /** The source with comments, string, text block and char literals blanked out; line breaks are kept. */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = blank(source, i, end < 0 ? n : end + 2, out);
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = blank(source, i, end < 0 ? n : end + 3, out);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = blank(source, i, Math.min(n, j + 1), out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Appends only the line breaks of source[from, to); returns to. */
    private static int blank(String source, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            if (source.charAt(k) == '\n') {
                out.append('\n');
            }
        }
        return to;
    }
}
