package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every YAML block of the README is a route file the gateway's validate command accepts. */
class ReadmeSnippetsTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path routes;

    @Test
    void theReadmesRouteSnippetsValidate() throws Exception {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = YAML_BLOCK.matcher(Files.readString(Path.of("README.md")));
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        assertThat(blocks).as("YAML blocks in README.md").hasSizeGreaterThanOrEqualTo(3);
        for (int i = 0; i < blocks.size(); i++) {
            Files.writeString(routes.resolve("readme-" + i + ".yaml"), blocks.get(i));
        }
        RouteFileErrorsTest.Outcome outcome = RouteFileErrorsTest.validateFolder(routes.toString(),
                java.util.Map.of());
        assertThat(outcome.status()).as("validate: %s %s", outcome.out(), outcome.err()).isZero();
    }
}
