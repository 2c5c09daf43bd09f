package dev.skynetbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.bridge.mqtt.SkynetMqttBridgeTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The bridge reference pages {@code docs/bridges/<name>.md}, generated from the Kamelet definitions
 * ({@code src/main/resources/kamelets}) and the {@code skynet-mqtt-bridge} route template, each with
 * the shipped example that uses it; and their index {@code docs/bridges/README.md}.
 */
class KameletDocsTest {

    static final Path KAMELETS = Path.of("src/main/resources/kamelets");
    static final Path PAGES = GeneratedDocs.DOCS.resolve("bridges");
    static final List<Path> EXAMPLE_FOLDERS = List.of(Path.of("routes"), Path.of("routes/examples"));

    /** One row of a page's property table. */
    record Property(String name, String type, String defaultValue, boolean required, boolean secret,
            String description) {
    }

    record Page(String name, String title, String kind, String description, List<Property> properties,
            List<String> dependencies) {
    }

    @Test
    void everyBridgePageMatchesItsDefinition() throws IOException {
        List<Page> pages = new ArrayList<>();
        for (Path file : kameletFiles()) {
            pages.add(kamelet(file));
        }
        pages.add(mqttBridgeTemplate());
        for (Page page : pages) {
            GeneratedDocs.assertUpToDate(PAGES.resolve(page.name() + ".md"), render(page));
        }
        GeneratedDocs.assertUpToDate(PAGES.resolve("README.md"), index(pages));
    }

    @Test
    void everyKameletDeclaresTheProjectVersionAsItsDependency() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        for (Path file : kameletFiles()) {
            assertThat(kamelet(file).dependencies()).as(file.toString())
                    .contains("mvn:dev.skynetbridge:skynet-bridge:" + version);
        }
    }

    static List<Path> kameletFiles() throws IOException {
        try (Stream<Path> files = Files.list(KAMELETS)) {
            return files.filter(f -> f.toString().endsWith(".kamelet.yaml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Page kamelet(Path file) throws IOException {
        Map<String, Object> kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(file));
        Map<String, Object> metadata = (Map<String, Object>) kamelet.get("metadata");
        Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
        Map<String, Object> spec = (Map<String, Object>) kamelet.get("spec");
        Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
        List<String> required = (List<String>) definition.getOrDefault("required", List.of());
        List<Property> properties = new ArrayList<>();
        ((Map<String, Object>) definition.get("properties")).forEach((name, value) -> {
            Map<String, Object> schema = (Map<String, Object>) value;
            String type = String.valueOf(schema.get("type"));
            if (schema.containsKey("enum")) {
                type += ": " + String.join(", ", ((List<Object>) schema.get("enum")).stream().map(String::valueOf)
                        .toList());
            }
            properties.add(new Property(name, type, schema.containsKey("default") ? String.valueOf(schema.get("default"))
                    : null, required.contains(name), "password".equals(schema.get("format")),
                    String.valueOf(schema.get("description"))));
        });
        return new Page(String.valueOf(metadata.get("name")), String.valueOf(definition.get("title")),
                String.valueOf(labels.get("camel.apache.org/kamelet.type")), String.valueOf(definition.get("description")),
                properties, (List<String>) spec.getOrDefault("dependencies", List.of()));
    }

    static Page mqttBridgeTemplate() {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new SkynetMqttBridgeTemplates());
            RouteTemplateDefinition template = context.getRouteTemplateDefinition(SkynetMqttBridgeTemplates.BRIDGE);
            List<Property> properties = new ArrayList<>();
            for (RouteTemplateParameterDefinition parameter : template.getTemplateParameters()) {
                properties.add(new Property(parameter.getName(), "string", parameter.getDefaultValue(),
                        parameter.getDefaultValue() == null, parameter.getName().equals("password"),
                        parameter.getDescription()));
            }
            return new Page(SkynetMqttBridgeTemplates.BRIDGE, "Skynet <-> MQTT bridge", "route template (both ways)",
                    template.getDescription() + ". Used with templatedRoute (routeTemplateRef: skynet-mqtt-bridge); the"
                    + " route id given is the Skynet to MQTT route. Why a route template and not a pair of Kamelets:"
                    + " see bridges.md in the docs folder", properties, List.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String render(Page page) {
        StringBuilder out = new StringBuilder(GeneratedDocs.banner(page.kind().startsWith("route template")
                ? "bridge.mqtt.SkynetMqttBridgeTemplates" : "src/main/resources/kamelets/" + page.name() + ".kamelet.yaml"));
        out.append("# ").append(page.title()).append(" (`").append(page.kind().startsWith("route template")
                ? page.name() : "kamelet:" + page.name()).append("`)\n\n");
        out.append("Kind: ").append(page.kind()).append(".\n\n");
        out.append(text(page.description())).append("\n\n");
        out.append("| property | type | default | required | secret | description |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Property property : page.properties()) {
            out.append("| `").append(property.name()).append("` | ").append(cell(property.type())).append(" | ")
                    .append(property.defaultValue() == null || property.defaultValue().isEmpty() ? ""
                            : "`" + property.defaultValue().replace("|", "\\|") + "`")
                    .append(" | ").append(property.required() ? "yes" : "").append(" | ")
                    .append(property.secret() ? "yes" : "").append(" | ").append(cell(property.description()))
                    .append(" |\n");
        }
        if (page.kind().startsWith("route template")) {
            out.append("\nEach parameter is one `- {name: ..., value: ...}` entry; values are used as they are"
                       + " (a password with `&` or `+` needs no `RAW()`).\n");
        } else {
            out.append("\nAn optional property left out is not set at all. Values holding `&`, `+` or `%` (passwords,"
                       + " tokens, secrets) are written `RAW(value)`, as in every Camel endpoint. `validate` checks"
                       + " names, types and the listed values.\n");
        }
        if (!page.dependencies().isEmpty()) {
            out.append("\nDependencies: ").append(String.join(", ", page.dependencies().stream()
                    .map(d -> "`" + d + "`").toList())).append(".\n");
        }
        Path example = exampleUsing(page);
        if (example != null) {
            out.append("\n## Example (`").append(example.toString().replace('\\', '/')).append("`, tested)\n\n```yaml\n")
                    .append(read(example)).append("```\n");
        }
        return out.toString();
    }

    /** The first shipped route file that uses the bridge: examples are tested end to end. */
    static Path exampleUsing(Page page) {
        String use = page.kind().startsWith("route template") ? "routeTemplateRef: " + page.name()
                : "kamelet:" + page.name();
        for (Path folder : EXAMPLE_FOLDERS) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    String text = read(file);
                    if (text.contains(use + "\n") || text.contains(use + "?") || text.contains(use + "\"")) {
                        return file;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    static String index(List<Page> pages) {
        StringBuilder out = new StringBuilder(GeneratedDocs.banner("src/main/resources/kamelets and"
                + " bridge.mqtt.SkynetMqttBridgeTemplates"));
        out.append("# Bridges\n\nThe shipped bridges, one reference page each. How they fit together and how to use"
                   + " them in a route file: [../bridges.md](../bridges.md).\n\n");
        out.append("| bridge | kind | use |\n|---|---|---|\n");
        for (Page page : pages) {
            boolean template = page.kind().startsWith("route template");
            out.append("| [").append(page.title()).append("](").append(page.name()).append(".md) | ")
                    .append(page.kind()).append(" | `").append(template ? "routeTemplateRef: " + page.name()
                            : "kamelet:" + page.name()).append("` |\n");
        }
        return out.toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Markdown text: angle brackets shown, not taken as HTML. */
    static String text(String value) {
        return value.trim().replace("<", "&lt;").replace(">", "&gt;");
    }

    static String cell(String value) {
        return text(value).replace("|", "\\|").replace("\n", " ");
    }
}
