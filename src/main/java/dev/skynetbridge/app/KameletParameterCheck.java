package dev.skynetbridge.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.KameletDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks every {@code kamelet:} endpoint of the route files against its Kamelet's
 * {@code spec.definition} before Camel builds the routes, because Camel checks neither unknown nor
 * typed parameters: a missing required property, an unknown one (with the nearest known name), a
 * value that is not of the property's type (integer, number, boolean) or not in its {@code enum}.
 * Each problem is one {@code file:line: problem} line.
 */
final class KameletParameterCheck {

    /** The Kamelet component's own endpoint options, valid on every kamelet: endpoint. */
    private static final Set<String> ENDPOINT_OPTIONS = Set.of("templateId", "routeId", "bridgeErrorHandler",
            "exceptionHandler", "exchangePattern", "block", "failIfNoConsumers", "lazyStartProducer", "timeout",
            "location", "noErrorHandler");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");

    /** A problem in a route file, already located: its message is the one line to show. */
    static final class RouteFileProblem extends IllegalArgumentException {
        RouteFileProblem(String message) {
            super(message);
        }
    }

    /** One property of a Kamelet: JSON-schema type, enum values, whether it must be given. */
    record Property(String type, List<String> allowed, boolean required, String title) {
    }

    private final CamelContext context;
    private final Map<String, Map<String, Property>> definitions = new LinkedHashMap<>();

    private KameletParameterCheck(CamelContext context) {
        this.context = context;
    }

    /** Checks the routes loaded from files; throws {@link RouteFileProblem} at the first problem. */
    static void check(CamelContext context) {
        KameletParameterCheck check = new KameletParameterCheck(context);
        for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
            String file = route.getLocation();
            if (file == null || !file.startsWith("file:")) {
                continue; // a Kamelet's own route, or one added in Java
            }
            check.endpoint(file, route.getInput().getLineNumber(), route.getInput().getEndpointUri());
            check.outputs(file, route.getOutputs());
        }
    }

    private void outputs(String file, List<ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof EndpointRequiredDefinition target) {
                endpoint(file, output.getLineNumber(), target.getEndpointUri());
            } else if (output instanceof KameletDefinition kamelet) {
                endpoint(file, output.getLineNumber(), "kamelet:" + kamelet.getName());
            }
            outputs(file, output.getOutputs());
        }
    }

    private void endpoint(String file, int line, String uri) {
        if (uri == null || !uri.startsWith("kamelet:")) {
            return;
        }
        String rest = uri.substring("kamelet:".length()).replaceFirst("^//", "");
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        String name = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (name.equals("source") || name.equals("sink")) {
            return; // inside a Kamelet of the user's own
        }
        Map<String, Property> properties = definition(name);
        if (properties == null) {
            throw problem(file, line, "kamelet:" + name + ": no such Kamelet" + SettingsFileCheck.nearest(name,
                    shippedKamelets()) + "; the bridges are listed in docs/bridges/");
        }
        Map<String, Object> given;
        try {
            given = query < 0 ? Map.of() : URISupport.parseQuery(rest.substring(query + 1), true);
        } catch (Exception e) {
            return; // a malformed query: Camel's own error names it
        }
        String where = "kamelet:" + name + ": ";
        int uriLine = lineOf(file, line, Pattern.compile(Pattern.quote("kamelet:" + name)));
        for (Map.Entry<String, Object> parameter : given.entrySet()) {
            String key = parameter.getKey();
            Property property = properties.get(key);
            if (property == null) {
                if (!ENDPOINT_OPTIONS.contains(key)) {
                    throw problem(file, lineOf(file, uriLine, key), where + "unknown parameter '" + key + "'"
                            + SettingsFileCheck.nearest(key, properties.keySet()) + "; its parameters: "
                            + String.join(", ", properties.keySet()) + " (a value holding & or + is written RAW(value))");
                }
                continue;
            }
            String value = resolved(String.valueOf(parameter.getValue()));
            String wrong = value == null ? null : typeProblem(property, value);
            if (wrong != null) {
                throw problem(file, lineOf(file, uriLine, key), where + key + " is '" + value + "'; " + wrong);
            }
        }
        properties.forEach((key, property) -> {
            if (property.required() && !given.containsKey(key) && !configuredElsewhere(name, key)) {
                throw problem(file, uriLine, where + "missing required parameter '" + key + "' (" + property.title() + ")");
            }
        });
    }

    /** The value as Camel will see it, or null when a placeholder cannot be resolved (reported later, located). */
    private String resolved(String value) {
        String raw = value.startsWith("RAW(") && value.endsWith(")") ? value.substring(4, value.length() - 1) : value;
        if (!raw.contains("{{")) {
            return raw;
        }
        try {
            return context.resolvePropertyPlaceholders(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String typeProblem(Property property, String value) {
        String type = property.type() == null ? "string" : property.type();
        switch (type) {
            case "integer" -> {
                if (!WHOLE_NUMBER.matcher(value.trim()).matches()) {
                    return "expected a whole number";
                }
            }
            case "number" -> {
                try {
                    Double.parseDouble(value.trim());
                } catch (NumberFormatException e) {
                    return "expected a number";
                }
            }
            case "boolean" -> {
                if (!value.trim().equalsIgnoreCase("true") && !value.trim().equalsIgnoreCase("false")) {
                    return "expected true or false";
                }
            }
            default -> {
                // text: anything goes, unless the property lists its values
            }
        }
        if (!property.allowed().isEmpty() && !property.allowed().contains(value.trim())) {
            return "expected one of " + String.join(", ", property.allowed());
        }
        return null;
    }

    /** Camel also takes Kamelet properties from camel.kamelet.NAME.PROPERTY in the configuration. */
    private boolean configuredElsewhere(String kamelet, String key) {
        return context.getPropertiesComponent().resolveProperty("camel.kamelet." + kamelet + "." + key).isPresent();
    }

    private Map<String, Property> definition(String name) {
        return definitions.computeIfAbsent(name, this::load);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Property> load(String name) {
        String location = GatewayApplication.KAMELETS_LOCATION + "/" + name + ".kamelet.yaml";
        var resource = PluginHelper.getResourceLoader(context).resolveResource(location);
        if (resource == null || !resource.exists()) {
            return null;
        }
        Map<String, Object> definition;
        try (InputStream in = resource.getInputStream()) {
            Map<String, Object> kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            definition = (Map<String, Object>) ((Map<String, Object>) kamelet.get("spec")).get("definition");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + location, e);
        }
        List<String> required = (List<String>) definition.getOrDefault("required", List.of());
        Map<String, Object> declared = (Map<String, Object>) definition.getOrDefault("properties", Map.of());
        Map<String, Property> properties = new LinkedHashMap<>();
        declared.forEach((key, value) -> {
            Map<String, Object> schema = (Map<String, Object>) value;
            List<String> allowed = new ArrayList<>();
            ((List<Object>) schema.getOrDefault("enum", List.of())).forEach(v -> allowed.add(String.valueOf(v)));
            properties.put(key, new Property((String) schema.get("type"), allowed,
                    required.contains(key) && !schema.containsKey("default"), String.valueOf(schema.get("title"))));
        });
        return properties;
    }

    private Set<String> shippedKamelets() {
        Set<String> names = new TreeSet<>();
        try {
            for (var resource : PluginHelper.getPackageScanResourceResolver(context)
                    .findResources(GatewayApplication.KAMELETS_LOCATION + "/*.kamelet.yaml")) {
                String file = resource.getLocation().substring(resource.getLocation().lastIndexOf('/') + 1);
                names.add(file.substring(0, file.length() - ".kamelet.yaml".length()));
            }
        } catch (Exception e) {
            // no suggestion then
        }
        return names;
    }

    /** The line of {@code key} in the endpoint's parameters (or its query), else the endpoint's own line. */
    private static int lineOf(String file, int endpointLine, String key) {
        return lineOf(file, endpointLine, Pattern.compile("(^\\s*|[?&])" + Pattern.quote(key) + "\\s*[:=]"));
    }

    /** The first line from the endpoint's on (up to the next endpoint) that has {@code text}. */
    private static int lineOf(String file, int endpointLine, Pattern keyLine) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file.substring("file:".length())));
            for (int i = Math.max(0, endpointLine - 1); i < Math.min(lines.size(), endpointLine + 40); i++) {
                if (i > endpointLine && lines.get(i).contains("kamelet:")) {
                    break; // the next endpoint
                }
                if (keyLine.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return endpointLine;
        }
        return endpointLine;
    }

    private static RouteFileProblem problem(String file, int line, String problem) {
        return new RouteFileProblem(StartupProblem.display(file) + ":" + line + ": " + problem);
    }
}
