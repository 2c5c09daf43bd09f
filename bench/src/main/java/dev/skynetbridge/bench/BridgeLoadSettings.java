package dev.skynetbridge.bench;

import dev.skynetbridge.mqtt.MqttBrokerAddress;
import java.net.URI;
import java.util.Locale;

/** The options of {@link BridgeLoadTool}, each with its default; parsed once from the command line. */
final class BridgeLoadSettings {

    /** Where the messages go: Skynet to a broker's subscriber (mqtt, kafka), to the server only (skynet), or MQTT in. */
    enum Sink { MQTT, KAFKA, SKYNET, MQTT_IN }

    Sink sink;
    String host = "127.0.0.1";
    /** No default: every run names the gateway it loads (benchmarks use free ports, never the defaults). */
    int port = -1;
    String path = "/connect";
    long gatewayPid = -1;
    long brokerPid = -1;
    long channel = 1000;
    int pubs = 1;
    /** mqtt-in: websocket v2 listeners of the channel, each counted on its own. */
    int listeners = 10;
    int warmupSeconds = 5;
    int durationSeconds = 10;
    int drainSeconds = 10;
    int readySeconds = 90;
    /** Messages per second over all publishers; 0 = as fast as the window allows. */
    long rate;
    /** Per publisher: messages sent but not yet received. Keep it below the bridge's buffers (10,000). */
    int window = 2000;
    String mqttUrl;
    String mqttTopic;
    int qos = 0;
    String kafkaBrokers;
    String kafkaTopic = "skynet";
    String label;

    static BridgeLoadSettings parse(String[] args) {
        BridgeLoadSettings s = new BridgeLoadSettings();
        if (args.length == 0 || args[0].startsWith("--")) {
            usage("first argument: mqtt, kafka, skynet or mqtt-in");
        }
        try {
            s.sink = Sink.valueOf(args[0].toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            usage("unknown sink " + args[0]);
        }
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
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
                case "--gateway-pid" -> s.gatewayPid = Long.parseLong(value);
                case "--broker-pid" -> s.brokerPid = Long.parseLong(value);
                case "--channel" -> s.channel = Long.parseLong(value);
                case "--pubs" -> s.pubs = positive(option, value);
                case "--listeners" -> s.listeners = positive(option, value);
                case "--warmup" -> s.warmupSeconds = Integer.parseInt(value);
                case "--duration" -> s.durationSeconds = positive(option, value);
                case "--drain" -> s.drainSeconds = positive(option, value);
                case "--ready-timeout" -> s.readySeconds = positive(option, value);
                case "--rate" -> s.rate = Long.parseLong(value);
                case "--window" -> s.window = positive(option, value);
                case "--mqtt-url" -> {
                    try {
                        MqttBrokerAddress.parse(value);
                    } catch (IllegalArgumentException e) {
                        usage("--mqtt-url: " + e.getMessage());
                    }
                    s.mqttUrl = value;
                }
                case "--mqtt-topic" -> s.mqttTopic = value;
                case "--qos" -> s.qos = Integer.parseInt(value);
                case "--kafka-brokers" -> s.kafkaBrokers = value;
                case "--topic" -> s.kafkaTopic = value;
                case "--label" -> s.label = value;
                default -> usage("unknown option " + option);
            }
        }
        if (s.pubs > 200) {
            usage("--pubs must be at most 200");
        }
        if (s.qos < 0 || s.qos > 2) {
            usage("--qos must be 0, 1 or 2");
        }
        if (s.mqttTopic == null) {
            s.mqttTopic = "skynet/n/" + s.channel;
        }
        if (s.label == null) {
            s.label = switch (s.sink) {
                case MQTT -> "mqtt qos" + s.qos;
                case MQTT_IN -> "mqtt-in qos" + s.qos + " -> " + s.listeners + " listeners";
                default -> s.sink.name().toLowerCase(Locale.ROOT);
            } + (s.rate > 0 ? " @" + s.rate + "/s" : " max");
        }
        if (s.sink == Sink.MQTT_IN && s.pubs != 1) {
            usage("mqtt-in: one MQTT publisher (--pubs 1); --listeners sets the far side");
        }
        if (s.port < 0) {
            usage("--url is required (the gateway's Skynet server, e.g. ws://127.0.0.1:PORT/connect)");
        }
        if ((s.sink == Sink.MQTT || s.sink == Sink.MQTT_IN) && s.mqttUrl == null) {
            usage(s.sink.name().toLowerCase(Locale.ROOT).replace('_', '-') + ": --mqtt-url is required (tcp://127.0.0.1:PORT)");
        }
        if (s.sink == Sink.KAFKA && s.kafkaBrokers == null) {
            usage("kafka: --kafka-brokers is required (127.0.0.1:PORT)");
        }
        return s;
    }

    private static int positive(String option, String value) {
        return ToolUsage.positive("BridgeLoadTool", option, value, USAGE);
    }

    private static final String USAGE = """
                usage: BridgeLoadTool mqtt|kafka|skynet|mqtt-in [options]
                  (skynet: a websocket subscriber on the gateway's own server, no bridge: the server's share)
                  (mqtt-in: the other way: one MQTT publisher on --mqtt-topic, --listeners websocket listeners of
                   --channel on the gateway's server, each one's arrivals counted per sequence number)
                  --url ws://127.0.0.1:PORT/connect  the gateway's Skynet server (publishers, or mqtt-in's listeners; required)
                  --channel N (1000)     numeric Skynet channel the publishers send on
                  --pubs N (1)           websocket publishers
                  --rate R               messages/s over all publishers (0 = max, default)
                  --window N (2000)      per publisher, messages sent but not yet received (by every listener)
                  --warmup S (5) --duration S (10) --drain S (10) --ready-timeout S (90)
                  --gateway-pid PID      process whose CPU time is reported per bridged message
                  --broker-pid PID       the broker's process (its CPU is reported too)
                  mqtt, mqtt-in: --mqtt-url tcp://127.0.0.1:PORT (required) --qos 0|1|2 (0) --mqtt-topic T (skynet/n/<channel>)
                  mqtt-in: --listeners N (10)
                  kafka: --kafka-brokers 127.0.0.1:PORT (required) --topic skynet
                  --label TEXT           name of the scenario in the RESULT line""";

    private static void usage(String problem) {
        ToolUsage.fail("BridgeLoadTool", problem, USAGE);
    }
}
