package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml mounts copies of example route files from docker/routes/ (compose cannot mount a
 * file from outside its folder portably). Each copy is the example plus a header of comment lines: when an
 * example changes, its copy must change too.
 */
class DockerRouteCopiesTest {

    @Test
    void everyDockerRouteFileIsItsExampleWithAHeader() throws Exception {
        List<Path> copies;
        try (Stream<Path> files = Files.list(Path.of("docker/routes"))) {
            copies = files.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        assertThat(copies).isNotEmpty();
        for (Path copy : copies) {
            Path example = Path.of("routes/examples").resolve(copy.getFileName());
            assertThat(example).as("the example %s copies", copy).exists();
            String text = Files.readString(copy);
            String original = Files.readString(example);
            assertThat(text).as("%s: the header lines, then exactly %s", copy, example).endsWith(original);
            assertThat(text.substring(0, text.length() - original.length()).lines())
                    .as("%s: only comment lines before the copy", copy).allMatch(line -> line.startsWith("#"));
        }
    }
}
