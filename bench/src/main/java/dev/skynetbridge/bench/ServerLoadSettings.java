package dev.skynetbridge.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every option with its default; parsed once from the command line. */
final class ServerLoadSettings {
    ServerLoadTool.Mode mode;
    String host = "127.0.0.1";
    /** No default: a run names the server it loads, or --embedded (benchmarks use free ports, never the defaults). */
    int port = -1;
    String path = "/connect";
    boolean embedded;
    long serverPid = -1;
    /** More processes whose CPU time is added to the server's (the other gateways of a cluster). */
    List<Long> morePids = new ArrayList<>();
    /** Subscribers connect to these, in turn, instead of --url (the other gateways of a cluster). */
    List<URI> subUrls = new ArrayList<>();
    /** Pause between the subscribers' "open" and the first publish. */
    int settleMillis = 300;
    int pubs = -1;
    int subs = -1;
    int warmupSeconds = 5;
    int durationSeconds = 10;
    /** Delivered messages per second wanted over all subscribers; 0 = as fast as it goes. */
    long deliveredRate;
    int payloadBytes = 16;
    /** Per publisher: messages sent but not yet received by every subscriber. */
    int window = 256;
    int eventLoops = 2;
    int connections = 10_000;
    int connectConcurrency = 256;
    int holdSeconds = 0;
    boolean gcServer;
    long channelBase = 1000;
    String label;
    /** name:secret appended to the path of publishers / subscribers (a server with an access file). */
    String pubToken;
    String subToken;
    /** fanout subscribers open "*" instead of the channel (the path of "*" listeners and their deny rules). */
    boolean subWildcard;

    static ServerLoadSettings parse(String[] args) {
        ServerLoadSettings s = new ServerLoadSettings();
        if (args.length == 0 || args[0].startsWith("--")) {
            usage("first argument: fanout, fanin or idle");
        }
        try {
            s.mode = ServerLoadTool.Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            usage("unknown mode " + args[0]);
        }
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--embedded")) {
                s.embedded = true;
                continue;
            }
            if (option.equals("--gc-server")) {
                s.gcServer = true;
                continue;
            }
            if (option.equals("--sub-wildcard")) {
                s.subWildcard = true;
                continue;
            }
            if (option.equals("--help")) {
                usage(null);
            }
            if (i + 1 >= args.length) {
                usage(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--url" -> {
                    URI uri = URI.create(value);
                    if (!"ws".equals(uri.getScheme())) {
                        usage("--url must be ws://host:port/path");
                    }
                    s.host = uri.getHost();
                    s.port = uri.getPort() < 0 ? 80 : uri.getPort();
                    s.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/connect" : uri.getRawPath();
                }
                case "--server-pid" -> s.serverPid = Long.parseLong(value);
                case "--more-pids" -> {
                    for (String pid : value.split(",")) {
                        s.morePids.add(Long.parseLong(pid.trim()));
                    }
                }
                case "--sub-urls" -> {
                    for (String url : value.split(",")) {
                        URI uri = URI.create(url.trim());
                        if (!"ws".equals(uri.getScheme()) || uri.getPort() < 0) {
                            usage("--sub-urls must be ws://host:port/path,...");
                        }
                        s.subUrls.add(uri);
                    }
                }
                case "--settle-ms" -> s.settleMillis = Integer.parseInt(value);
                case "--pubs" -> s.pubs = positive(option, value);
                case "--subs" -> s.subs = positive(option, value);
                case "--warmup" -> s.warmupSeconds = Integer.parseInt(value);
                case "--duration" -> s.durationSeconds = positive(option, value);
                case "--delivered-rate" -> s.deliveredRate = Long.parseLong(value);
                case "--payload" -> s.payloadBytes = positive(option, value);
                case "--window" -> s.window = positive(option, value);
                case "--event-loops" -> s.eventLoops = positive(option, value);
                case "--connections" -> s.connections = positive(option, value);
                case "--connect-concurrency" -> s.connectConcurrency = positive(option, value);
                case "--hold" -> s.holdSeconds = Integer.parseInt(value);
                case "--label" -> s.label = value;
                case "--pub-token" -> s.pubToken = value;
                case "--sub-token" -> s.subToken = value;
                default -> usage("unknown option " + option);
            }
        }
        if (s.payloadBytes < 8 || s.payloadBytes > 65_000) {
            usage("--payload must be 8..65000 bytes (the first 8 hold the send timestamp)");
        }
        if (s.pubs < 0) {
            s.pubs = s.mode == ServerLoadTool.Mode.FANIN ? 10 : 1;
        }
        if (s.subs < 0) {
            s.subs = s.mode == ServerLoadTool.Mode.FANOUT ? 10 : 1;
        }
        if (s.label == null) {
            s.label = s.mode.name().toLowerCase(Locale.ROOT) + " " + s.pubs + "->" + s.subs
                    + (s.deliveredRate > 0 ? " @" + s.deliveredRate + "/s" : " max");
        }
        if (s.port < 0 && !s.embedded) {
            usage("--url is required (ws://127.0.0.1:PORT/connect), or --embedded");
        }
        return s;
    }

    private static int positive(String option, String value) {
        return ToolUsage.positive("ServerLoadTool", option, value, USAGE);
    }

    private static final String USAGE = """
                usage: ServerLoadTool fanout|fanin|idle [options]
                  --url ws://127.0.0.1:PORT/connect  server to load (required unless --embedded)
                  --embedded             start the server in this JVM instead (CPU figures then include the generator)
                  --server-pid PID       process whose CPU time and resident memory are reported
                  --pubs N --subs N      fanout: 1 -> 10 on one channel; fanin: 10 -> 1 subscriber of "*"
                  --warmup S (5) --duration S (10)
                  --delivered-rate R     delivered messages/s over all subscribers (0 = max, default)
                  --payload BYTES (16)   byte-string payload; the first 8 bytes carry the send time
                  --window N (256)       per publisher, messages not yet received by every subscriber
                  --event-loops N (2)    load generator event loops
                  idle: --connections N (10000) --connect-concurrency N (256) --hold S (0) --gc-server
                  --label TEXT           name of the scenario in the result line
                  --sub-urls ws://..,ws://..   subscribers connect to these in turn (gateways of a cluster)
                  --more-pids P,P        add these processes' CPU to the server's (the other gateways)
                  --settle-ms MS (300)   pause between the subscribers' open and the first publish
                  --pub-token T --sub-token T   name:secret for a server with an access file (path/<token>)
                  --sub-wildcard         fanout subscribers open "*" rather than the channel""";

    private static void usage(String problem) {
        ToolUsage.fail("ServerLoadTool", problem, USAGE);
    }
}
