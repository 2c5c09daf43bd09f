package dev.skynetbridge.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One GET of a Prometheus endpoint over real HTTP, parsed from the text format (version 0.0.4): every sample with
 * its labels, and the {@code # TYPE} of every family. A line that does not parse fails the test.
 */
public final class PrometheusScrape {

    /** One sample line: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String body;
    private final String contentType;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private PrometheusScrape(String body, String contentType) {
        this.body = body;
        this.contentType = contentType;
        for (String line : body.split("\n")) {
            parse(line);
        }
    }

    public static PrometheusScrape of(int port, String path) {
        try {
            HttpResponse<String> response = TestHttp.send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return new PrometheusScrape(response.body(), response.headers().firstValue("content-type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " on port " + port + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String body() {
        return body;
    }

    public String contentType() {
        return contentType;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The family's type (counter, gauge, summary, ...), from its {@code # TYPE} line. */
    public Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** The value of the one sample with this name and (at least) these labels; fails when there is none or several. */
    public double value(String name, String... labelPairs) {
        List<Sample> matching = find(name, labelPairs);
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples " + name + " with " + List.of(labelPairs) + ": "
                    + matching + "\nin\n" + body);
        }
        return matching.get(0).value();
    }

    /** Samples with this name having (at least) these labels, given as name, value, name, value, ... */
    public List<Sample> find(String name, String... labelPairs) {
        List<Sample> matching = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && hasLabels(sample, labelPairs)) {
                matching.add(sample);
            }
        }
        return matching;
    }

    private static boolean hasLabels(Sample sample, String... labelPairs) {
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(sample.labels().get(labelPairs[i]))) {
                return false;
            }
        }
        return true;
    }

    private void parse(String line) {
        if (line.isBlank()) {
            return;
        }
        if (line.startsWith("# TYPE ")) {
            String[] parts = line.substring(7).trim().split(" ");
            types.put(parts[0], parts[1]);
            return;
        }
        if (line.startsWith("#")) {
            return;
        }
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int close = line.lastIndexOf('}');
            parseLabels(line.substring(brace + 1, close), labels, line);
        } else {
            name = line.substring(0, line.indexOf(' '));
        }
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
    }

    /** {@code a="x",b="y \" z"}: quoted values with \\, \" and \n escapes. */
    private static void parseLabels(String text, Map<String, String> labels, String line) {
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            if (equals < 0 || text.charAt(equals + 1) != '"') {
                throw new AssertionError("Not a Prometheus label list: " + line);
            }
            String key = text.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (text.charAt(j) != '"') {
                char c = text.charAt(j);
                if (c == '\\') {
                    char next = text.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            }
        }
    }
}
