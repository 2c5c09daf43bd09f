package dev.skynetbridge.docs;

import static dev.skynetbridge.docs.MarkdownTable.code;
import static dev.skynetbridge.docs.MarkdownTable.prose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/components/&lt;scheme&gt;.md for each component, from the JSON schema camel-component-maven-plugin generated
 * from the component's annotations and javadoc, read from the classpath the way Camel's tooling reads it. The intro
 * is the endpoint class's javadoc (the schema's description), so it lives in the code.
 */
class ComponentDocsTest {

    @ParameterizedTest
    @ValueSource(strings = {"skynet", "skynet-mqtt", "skynet-rpc"})
    void theComponentPageSaysWhatTheSchemaSays(String scheme) throws Exception {
        JsonNode schema;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            String json = context.getComponentParameterJsonSchema(scheme);
            assertThat(json).as("the schema of %s: is camel-component-maven-plugin in the build?", scheme).isNotNull();
            schema = new ObjectMapper().readTree(json);
        }
        GeneratedDocs.assertUpToDate(GeneratedDocs.DOCS.resolve("components").resolve(scheme + ".md"), page(schema));
    }

    static String page(JsonNode schema) {
        JsonNode component = schema.get("component");
        String scheme = component.get("scheme").asText();
        String javaType = component.get("javaType").asText();
        String resource = "META-INF/" + javaType.substring(0, javaType.lastIndexOf('.')).replace('.', '/') + "/"
                          + scheme + ".json";
        StringBuilder page = new StringBuilder(GeneratedDocs.banner(resource + " (camel-component-maven-plugin, from "
                + "the annotations and javadoc of the " + scheme + ": classes)"));
        page.append("# ").append(component.get("title").asText()).append(" (").append(code(scheme + ":"))
                .append(")\n\n");
        page.append(prose(component.get("description").asText())).append("\n\n");
        page.append(kinds(component)).append(" Since ").append(component.get("firstVersion").asText())
                .append(". Component class ").append(code(javaType)).append(".\n\n");

        page.append("## URI\n\n```\n").append(component.get("syntax").asText()).append("[?options]\n```\n\n");
        MarkdownTable path = new MarkdownTable("path parameter", "required", "type", "description");
        options(schema.get("properties"), option -> "path".equals(option.get("kind").asText()))
                .forEach(option -> path.row(code(option.name()), option.json().path("required").asBoolean()
                        ? "yes" : "no", type(option.json()), option.description()));
        page.append(path.render());

        List<Option> endpointOptions = options(schema.get("properties"),
                option -> !"path".equals(option.get("kind").asText()));
        page.append("## Endpoint options\n\n")
                .append("Options follow the path after a ").append(code("?")).append(", joined with ")
                .append(code("&")).append(": ").append(code(scheme + ":...?option=value&other=value")).append('.');
        if (endpointOptions.stream().anyMatch(option -> "duration".equals(option.json().path("type").asText()))) {
            page.append(" A duration takes milliseconds (").append(code("250")).append(") or a time such as ")
                    .append(code("2s")).append(", ").append(code("1m30s")).append(" or ").append(code("PT5S"))
                    .append('.');
        }
        page.append("\n\n").append(optionTable(endpointOptions));

        List<Option> componentOptions = options(schema.get("componentProperties"), option -> true);
        page.append("## Component options\n\n")
                .append("Shared by every endpoint of the component. In the gateway set them in ")
                .append(code("config/application.properties")).append(" as ")
                .append(code("camel.component." + scheme + ".<option>=value")).append("; an autowired option, when")
                .append(" not set, is the one instance of its type in the registry.\n\n")
                .append(optionTable(componentOptions));

        MarkdownTable headers = new MarkdownTable("header", "group", "type", "description");
        options(schema.get("headers"), option -> true).forEach(header -> headers.row(code(header.name()),
                header.json().path("group").asText(), code(header.json().path("javaType").asText()),
                header.description()));
        page.append("## Message headers\n\n").append(headers.render());
        return page.toString().stripTrailing() + "\n";
    }

    private static String kinds(JsonNode component) {
        if (component.path("consumerOnly").asBoolean()) {
            return "Consumer only.";
        }
        return component.path("producerOnly").asBoolean() ? "Producer only." : "Consumer and producer.";
    }

    private static String optionTable(List<Option> options) {
        MarkdownTable table = new MarkdownTable("option", "group", "default", "type", "description");
        options.forEach(option -> table.row(code(option.name()) + (option.json().path("required").asBoolean()
                ? " (required)" : ""), option.json().path("group").asText(),
                code(option.json().path("defaultValue").asText(null)), type(option.json()), option.description()));
        return table.render();
    }

    private static String type(JsonNode option) {
        String type = option.path("type").asText(option.path("javaType").asText());
        StringBuilder text = new StringBuilder(type);
        if (option.has("enum")) {
            List<String> values = new ArrayList<>();
            option.get("enum").forEach(value -> values.add(code(value.asText())));
            text.append(": ").append(String.join(", ", values));
        } else if ("object".equals(type)) {
            text.append(" (").append(code(option.path("javaType").asText())).append(')');
        }
        if (option.path("secret").asBoolean()) {
            text.append(", secret");
        }
        if (option.path("autowired").asBoolean()) {
            text.append(", autowired");
        }
        return text.toString();
    }

    /** The entries of one section of the schema, in the schema's order (by group), that match {@code filter}. */
    private static List<Option> options(JsonNode section, Predicate<JsonNode> filter) {
        List<Option> options = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : section.properties()) {
            if (filter.test(entry.getValue())) {
                options.add(new Option(entry.getKey(), entry.getValue()));
            }
        }
        return options;
    }

    private record Option(String name, JsonNode json) {
        String description() {
            return prose(json.path("description").asText());
        }
    }
}
