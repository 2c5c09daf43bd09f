package dev.skynetbridge.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A console viewer for the console benchmark: reads the gateway's live stream ({@code /api/events}) for a while, as
 * an open console page does, and reports what it got, so a run "with the console open" is known to have had its
 * traffic view live.
 *
 * <pre>
 *   ConsoleViewer --url http://127.0.0.1:MANAGEMENT_PORT/api/events --seconds 30 [--token T]
 *   prints VIEWER|traffic entries|traffic events|state events|entries a second
 * </pre>
 */
public final class ConsoleViewer {

    private static final Pattern SEQ = Pattern.compile("\"seq\":");

    private ConsoleViewer() {
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        String token = null;
        int seconds = 30;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--token" -> token = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: ConsoleViewer --url http://host:port/api/events [--seconds 30] [--token T]");
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url http://host:port/api/events is required");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        long entries = 0;
        long trafficEvents = 0;
        long stateEvents = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        String event = "";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    if (event.equals("traffic")) {
                        trafficEvents++;
                        Matcher seq = SEQ.matcher(line);
                        while (seq.find()) {
                            entries++;
                        }
                    } else if (event.equals("state")) {
                        stateEvents++;
                    }
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "console viewer: %d traffic entries in %d events, %d state events over %.1f s"
                + " (%.0f entries/s)%n", entries, trafficEvents, stateEvents, elapsed, entries / elapsed);
        System.out.printf(Locale.ROOT, "VIEWER|%d|%d|%d|%.0f%n", entries, trafficEvents, stateEvents, entries / elapsed);
        System.exit(0);
    }
}
