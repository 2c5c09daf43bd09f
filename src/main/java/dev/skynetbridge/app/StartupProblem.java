package dev.skynetbridge.app;

import dev.skynetbridge.server.acl.AccessFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToCreateRouteFromTemplateException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * Turns a failure to start into one line that names the file, the line and what is wrong, instead
 * of a stack trace: a user who broke a route file should see where, and what to do.
 */
public final class StartupProblem {

    private static final Pattern TEMPLATE_PROBLEM = Pattern.compile("^Route template (\\S+) ");
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Property with key \\[([^\\]]+)\\] not found");
    private static final Pattern ROUTE_SOURCE = Pattern.compile("\\(source: ([^)]+)\\)");
    private static final Pattern LOCATION = Pattern.compile("in file:([^,\\n]+), line (\\d+), column (\\d+)");

    private StartupProblem() {
    }

    public static String describe(Throwable error, CamelContext context) {
        KameletParameterCheck.RouteFileProblem checked = find(error, KameletParameterCheck.RouteFileProblem.class);
        if (checked != null) {
            return checked.getMessage();
        }
        AccessFileException accessFile = find(error, AccessFileException.class);
        if (accessFile != null) {
            return accessFile.getMessage(); // file:line: problem already
        }
        String located = fromParserLocation(error);
        if (located != null) {
            return located;
        }
        Matcher missing = MISSING_PROPERTY.matcher(rootMessage(error));
        if (missing.find()) {
            String key = missing.group(1);
            return placeOfText(context, "{{" + key + "}}") + "the placeholder {{" + key + "}} has no value: set "
                   + key + " in config/application.properties or the environment variable "
                   + key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
        FailedToCreateRouteFromTemplateException fromTemplate = find(error, FailedToCreateRouteFromTemplateException.class);
        if (fromTemplate != null) {
            String place = placeOfText(context, "routeTemplateRef: " + fromTemplate.getTemplateId());
            return place + "route template " + fromTemplate.getTemplateId() + ": " + rootMessage(fromTemplate);
        }
        Matcher template = TEMPLATE_PROBLEM.matcher(rootMessage(error));
        if (template.find()) {
            String templateId = template.group(1);
            return placeOfText(context, "routeTemplateRef: " + templateId) + "route template " + templateId + ": "
                    + firstLine(rootMessage(error)).replace("Route template " + templateId + " the following", "the following");
        }
        FailedToCreateRouteException route = find(error, FailedToCreateRouteException.class);
        if (route != null) {
            return placeOfRoute(context, route) + "route " + route.getRouteId() + ": " + endpointProblem(error)
                    + hint(error);
        }
        FailedToStartRouteException notStarted = find(error, FailedToStartRouteException.class);
        if (notStarted != null) {
            Matcher source = ROUTE_SOURCE.matcher(String.valueOf(notStarted.getMessage()));
            return (source.find() ? display(source.group(1)) + ": " : "") + "route " + notStarted.getRouteId()
                   + " could not start: " + firstLine(rootMessage(error))
                   + " (is the broker or service its endpoints connect to running?)";
        }
        if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
            return firstLine(error.getMessage());
        }
        return firstLine(rootMessage(error));
    }

    /** YAML syntax and DSL errors carry "in file:..., line N, column M" after the problem. */
    private static String fromParserLocation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            List<String> lines = message.lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                Matcher location = LOCATION.matcher(lines.get(i));
                if (location.find()) {
                    String problem = i > 0 ? lines.get(i - 1).trim() : message;
                    if (problem.isEmpty() || problem.equals("^")) {
                        problem = lines.get(0).trim();
                    }
                    return display(location.group(1)) + ":" + location.group(2) + ": " + problem
                            + " (fix the file, or move it out of the routes folder)";
                }
            }
        }
        return null;
    }

    private static String placeOfRoute(CamelContext context, FailedToCreateRouteException failure) {
        if (context instanceof ModelCamelContext model) {
            RouteDefinition definition = model.getRouteDefinition(failure.getRouteId());
            if (definition != null && definition.getLocation() != null) {
                String uri = failingUri(failure);
                String file = definition.getLocation();
                int line = uri == null ? -1 : lineContaining(file, uri.split("\\?")[0].replace("://", ":"));
                return display(file) + ":" + (line > 0 ? line : definition.getLineNumber()) + ": ";
            }
        }
        return "";
    }

    private static String failingUri(Throwable error) {
        ResolveEndpointFailedException resolve = find(error, ResolveEndpointFailedException.class);
        if (resolve != null) {
            return resolve.getUri();
        }
        NoSuchEndpointException missing = find(error, NoSuchEndpointException.class);
        return missing == null ? null : missing.getUri();
    }

    private static String endpointProblem(Throwable error) {
        ResolveEndpointFailedException resolve = find(error, ResolveEndpointFailedException.class);
        if (resolve != null) {
            Throwable cause = resolve.getCause();
            String why = cause != null && cause.getMessage() != null ? cause.getMessage() : resolve.getMessage();
            return "endpoint " + resolve.getUri() + ": " + firstLine(why);
        }
        return firstLine(rootMessage(error));
    }

    private static String hint(Throwable error) {
        if (find(error, NoSuchEndpointException.class) != null) {
            return " (is the component name spelt right? the gateway ships skynet, skynet-rpc, paho-mqtt5, kafka,"
                    + " http, platform-http, direct, seda, log, timer, bean, file)";
        }
        return "";
    }

    private static String placeOfText(CamelContext context, String text) {
        String routesDir = context == null ? "routes"
                : GatewayApplication.settingsOf(context).get(GatewaySettings.ROUTES_DIR);
        try (var files = Files.list(Path.of(routesDir))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                int line = lineContaining(file.toString(), text);
                if (line > 0) {
                    return display(file.toString()) + ":" + line + ": ";
                }
            }
        } catch (IOException | RuntimeException e) {
            // no location then; the message still says what is wrong
        }
        return "";
    }

    private static int lineContaining(String file, String text) {
        Path path = Path.of(file.startsWith("file:") ? file.substring(5) : file);
        try {
            List<String> lines = Files.readAllLines(path);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static String display(String location) {
        String file = location.startsWith("file:") ? location.substring(5) : location;
        Path path = Path.of(file).toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        return path.startsWith(here) ? here.relativize(path).toString() : path.toString();
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }
}
