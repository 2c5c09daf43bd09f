package dev.skynetbridge.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.skynetbridge.mqtt.MqttBrokerAddress;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Load generator for the gateway's bridges: websocket publishers send Skynet messages into the
 * gateway's embedded Skynet server, and a real MQTT 5 subscriber (HiveMQ MQTT client) or Kafka consumer
 * reads what the bridge delivered.
 *
 * <pre>
 * java -cp target/skynet-bridge.jar dev.skynetbridge.bench.BridgeLoadTool mqtt  --url ws://127.0.0.1:3030/connect
 *      --mqtt-url tcp://127.0.0.1:1883 --qos 0 [--rate 2000] --gateway-pid PID --broker-pid PID
 * java -cp target/skynet-bridge.jar dev.skynetbridge.bench.BridgeLoadTool kafka --url ...
 *      --kafka-brokers 127.0.0.1:9092 --topic skynet [--rate 2000] --gateway-pid PID --broker-pid PID
 * </pre>
 *
 * Every payload is the map {@code {"t": <System.nanoTime() at send>, "seq": <run|publisher|n>}}.
 * Publisher and receiver share this JVM, so receive time minus {@code t} is the end-to-end
 * latency; each sequence number must arrive exactly once (missing and duplicates are reported).
 * Run with {@code --help} for every option.
 */
public final class BridgeLoadTool {

    enum Sink { MQTT, KAFKA, SKYNET }

    /** Sequence numbers: 16 bits of run id, 8 bits of publisher, 32 bits of message number. */
    private static final int RUN_SHIFT = 40;
    private static final int PUBLISHER_SHIFT = 32;
    /** Publisher index of the readiness probes sent before the run (never counted). */
    private static final int PROBE_PUBLISHER = 255;

    /** Every option with its default; parsed once from the command line. */
    static final class Settings {
        Sink sink;
        String host = "127.0.0.1";
        int port = 3030;
        String path = "/connect";
        long gatewayPid = -1;
        long brokerPid = -1;
        long channel = 1000;
        int pubs = 1;
        int warmupSeconds = 5;
        int durationSeconds = 10;
        int drainSeconds = 10;
        int readySeconds = 90;
        /** Messages per second over all publishers; 0 = as fast as the window allows. */
        long rate;
        /** Per publisher: messages sent but not yet received. Keep it below the bridge's buffers (10,000). */
        int window = 2000;
        String mqttUrl = "tcp://127.0.0.1:1883";
        String mqttTopic;
        int qos = 0;
        String kafkaBrokers = "127.0.0.1:9092";
        String kafkaTopic = "skynet";
        String label;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            if (args.length == 0 || args[0].startsWith("--")) {
                usage("first argument: mqtt, kafka or skynet");
            }
            try {
                s.sink = Sink.valueOf(args[0].toUpperCase(Locale.ROOT));
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
                s.label = (s.sink == Sink.MQTT ? "mqtt qos" + s.qos : s.sink.name().toLowerCase(Locale.ROOT))
                        + (s.rate > 0 ? " @" + s.rate + "/s" : " max");
            }
            return s;
        }

        private static int positive(String option, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                usage(option + " must be at least 1");
            }
            return n;
        }

        private static void usage(String problem) {
            if (problem != null) {
                System.err.println("BridgeLoadTool: " + problem);
            }
            System.err.println("""
                    usage: BridgeLoadTool mqtt|kafka|skynet [options]
                      (skynet: a websocket subscriber on the gateway's own server, no bridge: the server's share)
                      --url ws://127.0.0.1:3030/connect  the gateway's Skynet server (publishers connect here)
                      --channel N (1000)     numeric Skynet channel the publishers send on
                      --pubs N (1)           websocket publishers
                      --rate R               messages/s over all publishers (0 = max, default)
                      --window N (2000)      per publisher, messages sent but not yet received (max rate)
                      --warmup S (5) --duration S (10) --drain S (10) --ready-timeout S (90)
                      --gateway-pid PID      process whose CPU time is reported per bridged message
                      --broker-pid PID       the broker's process (its CPU is reported too)
                      mqtt:  --mqtt-url tcp://127.0.0.1:1883 --qos 0|1|2 (0) --mqtt-topic T (skynet/n/<channel>)
                      kafka: --kafka-brokers 127.0.0.1:9092 --topic skynet
                      --label TEXT           name of the scenario in the RESULT line""");
            System.exit(2);
        }
    }

    private BridgeLoadTool() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        // Run ids below 2^12 keep every sequence number below 2^53: a bridge that reads JSON numbers as
        // doubles (JavaScript, Node-RED) carries them exactly.
        Tally tally = new Tally(settings.pubs, ThreadLocalRandom.current().nextInt(1, 1 << 12));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Receiver receiver = switch (settings.sink) {
            case MQTT -> new MqttReceiver(settings, tally);
            case KAFKA -> new KafkaReceiver(settings, tally);
            case SKYNET -> new SkynetReceiver(settings, tally, vertx);
        };
        try {
            receiver.start();
            new Run(settings, vertx, tally).run();
        } finally {
            receiver.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ counting what arrives

    /**
     * What arrived: distinct messages per publisher (read by the publishers for their window),
     * duplicates, and latency. Written by the receiver's one thread only.
     */
    static final class Tally {
        final int runId;
        final AtomicLongArray received;
        private final BitSet[] seen;
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong unparsed = new AtomicLong();
        final AtomicLong foreign = new AtomicLong();
        final AtomicLong probes = new AtomicLong();
        private final LatencyHistogram latency = new LatencyHistogram();
        volatile boolean recording;
        private int lastN = -1;

        Tally(int publishers, int runId) {
            this.runId = runId;
            this.received = new AtomicLongArray(publishers);
            this.seen = new BitSet[publishers];
            for (int i = 0; i < publishers; i++) {
                seen[i] = new BitSet();
            }
        }

        long seq(int publisher, long n) {
            return ((long) runId << RUN_SHIFT) | ((long) publisher << PUBLISHER_SHIFT) | n;
        }

        /** One delivered message; {@code now} is System.nanoTime() when it arrived. */
        void arrived(BridgeProbe probe, long now) {
            long seq = probe.seq;
            if ((int) (seq >>> RUN_SHIFT) != runId) {
                foreign.incrementAndGet(); // left over from an earlier run
                return;
            }
            int publisher = (int) ((seq >>> PUBLISHER_SHIFT) & 0xff);
            if (publisher == PROBE_PUBLISHER) {
                probes.incrementAndGet();
                return;
            }
            if (publisher >= seen.length) {
                unparsed.incrementAndGet();
                return;
            }
            int n = (int) (seq & 0xffffffffL);
            if (seen[publisher].get(n)) {
                if (duplicates.incrementAndGet() <= 5) {
                    System.err.printf(Locale.ROOT, "duplicate: publisher %d message %d, %.1f ms after it was sent;"
                            + " the message before it was %d%n", publisher, n, (now - probe.sentNanos) / 1e6, lastN);
                }
                return;
            }
            lastN = n;
            seen[publisher].set(n);
            // Single writer: a release store is enough for the publisher that reads it.
            received.lazySet(publisher, received.get(publisher) + 1);
            if (recording) {
                synchronized (latency) {
                    latency.record(now - probe.sentNanos);
                }
            }
        }

        long totalReceived() {
            long total = 0;
            for (int i = 0; i < received.length(); i++) {
                total += received.get(i);
            }
            return total;
        }

        /** The first few message numbers below {@code sent} that never arrived, for the report. */
        String firstMissing(int publisher, long sent) {
            StringBuilder text = new StringBuilder();
            int n = seen[publisher].nextClearBit(0);
            for (int shown = 0; n < sent && shown < 5; shown++) {
                text.append(text.length() == 0 ? "" : ",").append(n);
                n = seen[publisher].nextClearBit(n + 1);
            }
            return text.toString();
        }

        LatencyHistogram latency() {
            LatencyHistogram copy = new LatencyHistogram();
            synchronized (latency) {
                copy.add(latency);
            }
            return copy;
        }
    }

    /** The far side of the bridge. */
    interface Receiver extends AutoCloseable {
        /** Returns once it receives everything sent from now on. */
        void start() throws Exception;

        @Override
        void close();
    }

    /**
     * A websocket subscriber of the channel on the gateway's own Skynet server: no bridge at all,
     * to tell the server's share from the bridge's.
     */
    static final class SkynetReceiver implements Receiver {
        private final Settings settings;
        private final Tally tally;
        private final Vertx vertx;
        private final BridgeProbe probe = new BridgeProbe();

        SkynetReceiver(Settings settings, Tally tally, Vertx vertx) {
            this.settings = settings;
            this.tally = tally;
            this.vertx = vertx;
        }

        @Override
        public void start() throws Exception {
            WebSocket ws = ServerLoadTool.await(vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                    .setHost(settings.host).setPort(settings.port).setURI(settings.path)), "subscriber connect");
            ws.binaryMessageHandler(frame -> {
                long now = System.nanoTime();
                if (probe.readCbor(frame.getBytes())) {
                    tally.arrived(probe, now);
                } else {
                    tally.unparsed.incrementAndGet();
                }
            });
            ws.writeBinaryMessage(Buffer.buffer(V2Codec.encodeOpen(Channel.of(settings.channel))));
        }

        @Override
        public void close() {
        }
    }

    /**
     * An MQTT 5 subscriber (HiveMQ MQTT client, the bridge's own client) to the bridged channel's topic,
     * at the bridge's QoS. One client thread reads, decodes and counts: the global publish stream is
     * observed on a direct executor, so the callback runs on the connection's Netty event loop, one
     * message after the other (the tally's single writer), without a hand-off to another thread per
     * message: the tool must not be what limits the measurement.
     */
    static final class MqttReceiver implements Receiver {
        private static final int TIMEOUT_SECONDS = 30;
        private final Settings settings;
        private final Tally tally;
        private final BridgeProbe probe = new BridgeProbe();
        private Mqtt5AsyncClient client;
        private volatile boolean connected;

        MqttReceiver(Settings settings, Tally tally) {
            this.settings = settings;
            this.tally = tally;
        }

        @Override
        public void start() throws Exception {
            MqttBrokerAddress address = MqttBrokerAddress.parse(settings.mqttUrl);
            client = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier("bench-" + UUID.randomUUID())
                    .transportConfig(address.transportConfig(TIMEOUT_SECONDS))
                    // Daemon I/O thread: a subscription that never connected keeps the client's event loop,
                    // which must not keep the JVM alive after the run has failed.
                    .executorConfig()
                    .nettyExecutor(new ThreadPerTaskExecutor(new DefaultThreadFactory("bench-mqtt", true)))
                    .nettyThreads(1)
                    .applyExecutorConfig()
                    .addConnectedListener(context -> connected = true)
                    .addDisconnectedListener(context -> {
                        // A failed connect is reported once, by start().
                        if (connected && context.getSource() != MqttDisconnectSource.USER) {
                            System.err.println("MQTT subscriber disconnected: " + context.getCause());
                        }
                    })
                    .buildAsync();
            // Registered before connecting, so nothing the broker sends is missed.
            client.publishes(MqttGlobalPublishFilter.ALL, this::arrived, Runnable::run);
            await(client.connectWith().cleanStart(true).keepAlive(60).send(), "connect to " + settings.mqttUrl);
            Mqtt5SubAck subAck = await(client.subscribeWith()
                    .topicFilter(settings.mqttTopic)
                    .qos(MqttQos.fromCode(settings.qos))
                    .send(), "subscribe to " + settings.mqttTopic + " on " + settings.mqttUrl);
            if (subAck.getReasonCodes().stream().anyMatch(Mqtt5SubAckReasonCode::isError)) {
                throw new IllegalStateException("the broker refused the subscription to " + settings.mqttTopic
                        + ": " + subAck.getReasonCodes());
            }
        }

        private void arrived(Mqtt5Publish publish) {
            long now = System.nanoTime();
            if (probe.read(publish.getPayloadAsBytes())) {
                tally.arrived(probe, now);
            } else {
                tally.unparsed.incrementAndGet();
            }
        }

        /** The client's result, or one line saying which step failed and why. */
        private static <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
            try {
                return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("MQTT subscriber could not " + what + ": " + e.getCause(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("MQTT subscriber could not " + what + " within " + TIMEOUT_SECONDS
                        + " s", e);
            }
        }

        @Override
        public void close() {
            if (client == null) {
                return;
            }
            try {
                if (client.getState().isConnectedOrReconnect()) {
                    client.disconnect().get(5, TimeUnit.SECONDS);
                }
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("MQTT subscriber close: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A Kafka consumer of the archive topic's partitions, from their current end, on its own thread. */
    static final class KafkaReceiver implements Receiver {
        private final Settings settings;
        private final Tally tally;
        private final BridgeProbe probe = new BridgeProbe();
        private KafkaConsumer<byte[], byte[]> consumer;
        private Thread poller;
        private volatile boolean running;

        KafkaReceiver(Settings settings, Tally tally) {
            this.settings = settings;
            this.tally = tally;
        }

        @Override
        public void start() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBrokers);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-" + UUID.randomUUID());
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            // The archive creates its topic with its first record: wait for it (the readiness probes make one).
            List<TopicPartition> partitions = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.readySeconds);
            while (partitions.isEmpty()) {
                var infos = consumer.partitionsFor(settings.kafkaTopic, Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
                }
                if (partitions.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topic " + settings.kafkaTopic + " does not exist on "
                                + settings.kafkaBrokers + " (create it, or let the archive write once first)");
                    }
                    sleep(200);
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve "end" now, before anything is sent
            running = true;
            poller = new Thread(this::poll, "bench-kafka-consumer");
            poller.setDaemon(true);
            poller.start();
        }

        private void poll() {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (probe.read(record.value())) {
                        tally.arrived(probe, now);
                    } else {
                        tally.unparsed.incrementAndGet();
                    }
                }
            }
            consumer.close(Duration.ofSeconds(5));
        }

        @Override
        public void close() {
            running = false;
            if (poller != null) {
                try {
                    poller.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (consumer != null) {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    // ------------------------------------------------------------------ the run

    /** Connect, prove the path, warm up, measure, drain, report. */
    static final class Run {
        private final Settings settings;
        private final Vertx vertx;
        private final Tally tally;
        private final List<PacedPublisher> publishers = new ArrayList<>();
        private volatile boolean stopping;

        Run(Settings settings, Vertx vertx, Tally tally) {
            this.settings = settings;
            this.vertx = vertx;
            this.tally = tally;
        }

        void run() throws Exception {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxConnections(settings.pubs + 4).setConnectTimeout(30_000).setTcpNoDelay(true));
            double perNano = settings.rate <= 0 ? 0 : settings.rate / (double) settings.pubs / 1e9;
            for (int p = 0; p < settings.pubs; p++) {
                WebSocket ws = ServerLoadTool.await(client.connect(new WebSocketConnectOptions()
                                .setHost(settings.host).setPort(settings.port).setURI(settings.path)),
                        "publisher connect to ws://" + settings.host + ":" + settings.port + settings.path);
                publishers.add(publisher(p, ws, perNano));
            }
            awaitPathReady(publishers.get(0).socket());

            for (PacedPublisher publisher : publishers) {
                publisher.start();
            }
            sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds));
            long self = ProcessHandle.current().pid();
            double gateway0 = cpu(settings.gatewayPid);
            double gatewaySys0 = settings.gatewayPid > 0 ? ProcStats.systemCpuSeconds(settings.gatewayPid) : -1;
            long switches0 = settings.gatewayPid > 0 ? ProcStats.contextSwitches(settings.gatewayPid) : -1;
            double broker0 = cpu(settings.brokerPid);
            double self0 = ProcStats.cpuSeconds(self);
            long received0 = tally.totalReceived();
            long sent0 = totalSent();
            long t0 = System.nanoTime();
            tally.recording = true;
            long last = received0;
            for (int second = 1; second <= settings.durationSeconds; second++) {
                sleepUntil(t0 + TimeUnit.SECONDS.toNanos(second));
                long now = tally.totalReceived();
                System.err.printf(Locale.ROOT, "  %2d s: %,d delivered/s%n", second, now - last);
                last = now;
            }
            tally.recording = false;
            long t1 = System.nanoTime();
            long received1 = tally.totalReceived();
            long sent1 = totalSent();
            double gateway1 = cpu(settings.gatewayPid);
            double gatewaySys1 = settings.gatewayPid > 0 ? ProcStats.systemCpuSeconds(settings.gatewayPid) : -1;
            long switches1 = settings.gatewayPid > 0 ? ProcStats.contextSwitches(settings.gatewayPid) : -1;
            double broker1 = cpu(settings.brokerPid);
            double self1 = ProcStats.cpuSeconds(self);
            double load = ProcStats.loadAverage();

            stopping = true;
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainSeconds);
            while (tally.totalReceived() < totalSent() && System.nanoTime() < drainEnd) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // late duplicates, if any
            long missing = totalSent() - tally.totalReceived();
            if (missing > 0) {
                for (int index = 0; index < publishers.size(); index++) {
                    long sent = publishers.get(index).sentSoFar();
                    System.err.println("missing from publisher " + index + " (of " + sent + " sent): "
                            + tally.firstMissing(index, sent));
                }
            }
            LatencyHistogram latency = tally.latency();

            double seconds = (t1 - t0) / 1e9;
            long deliveredCount = received1 - received0;
            double delivered = deliveredCount / seconds;
            double published = (sent1 - sent0) / seconds;
            double gatewayCpu = gateway1 - gateway0;
            double usPerMessage = gateway0 < 0 || deliveredCount == 0 ? -1 : gatewayCpu / deliveredCount * 1e6;
            double brokerCores = broker0 < 0 ? -1 : (broker1 - broker0) / seconds;
            double switchesPerMessage = switches0 < 0 || deliveredCount == 0 ? -1
                    : (switches1 - switches0) / (double) deliveredCount;
            System.out.printf(Locale.ROOT, "%s: %,.0f delivered/s (%,.0f published/s) over %.1f s; latency ms p50 %.3f"
                            + " p99 %.3f p99.9 %.3f max %.3f (%,d samples); gateway CPU %.2f cores, %.1f us per message"
                            + " (%.0f %% system), %.2f context switches per message; broker CPU %.2f cores; tool CPU %.2f cores; sent %,d, missing %,d,"
                            + " duplicates %,d, unparsed %,d, foreign %,d; load %.2f%n",
                    settings.label, delivered, published, seconds,
                    ms(latency.valueAtPercentile(50)), ms(latency.valueAtPercentile(99)),
                    ms(latency.valueAtPercentile(99.9)), ms(latency.max()), latency.count(),
                    gatewayCpu / seconds, usPerMessage,
                    100 * (gatewaySys1 - gatewaySys0) / Math.max(gatewayCpu, 0.01), switchesPerMessage,
                    brokerCores, (self1 - self0) / seconds, totalSent(), missing, tally.duplicates.get(),
                    tally.unparsed.get(), tally.foreign.get(), load);
            System.out.printf(Locale.ROOT, "RESULT|%s|%.0f|%.0f|%.3f|%.3f|%.3f|%.3f|%.2f|%.1f|%.0f|%.2f|%.2f|%.2f|%d|%d|%d|%.2f%n",
                    settings.label, delivered, published,
                    ms(latency.valueAtPercentile(50)), ms(latency.valueAtPercentile(99)),
                    ms(latency.valueAtPercentile(99.9)), ms(latency.max()),
                    gatewayCpu / seconds, usPerMessage, 100 * (gatewaySys1 - gatewaySys0) / Math.max(gatewayCpu, 0.01),
                    switchesPerMessage, brokerCores, (self1 - self0) / seconds, totalSent(), missing, tally.duplicates.get(), load);
        }

        /**
         * Sends probe messages until one comes out at the far side: the bridge is connected to its
         * broker and the receiver sees what it delivers. Probes are not counted.
         */
        private void awaitPathReady(WebSocket ws) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.readySeconds);
            long n = 0;
            while (tally.probes.get() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing sent to the gateway came out at the far side within "
                            + settings.readySeconds + " s: is the bridge route loaded and connected? ("
                            + tally.unparsed.get() + " unparsed, " + tally.foreign.get() + " from other runs)");
                }
                byte[] frame = V2Codec.encodeSend(SkynetMessage.of(Channel.of(settings.channel),
                        payload(System.nanoTime(), tally.seq(PROBE_PUBLISHER, n++))));
                ServerLoadTool.contextOf(ws).runOnContext(v -> ws.writeBinaryMessage(Buffer.buffer(frame)));
                Thread.sleep(200);
            }
            Thread.sleep(500); // let the other probes in flight arrive
        }

        private long totalSent() {
            long total = 0;
            for (PacedPublisher publisher : publishers) {
                total += publisher.sentSoFar();
            }
            return total;
        }

        /** One publisher: the frame carries its sequence number and send time, patched into a template. */
        PacedPublisher publisher(int index, WebSocket ws, double perNano) {
            // Long.MAX_VALUE makes both numbers 8-byte CBOR integers, patched in place per message.
            byte[] template = V2Codec.encodeSend(SkynetMessage.of(Channel.of(settings.channel),
                    payload(Long.MAX_VALUE, Long.MAX_VALUE)));
            int stampAt = BridgeProbe.indexOf(template, new byte[] {0x61, 't', 0x1b}, 0) + 3;
            int seqAt = BridgeProbe.indexOf(template, new byte[] {0x63, 's', 'e', 'q', 0x1b}, 0) + 5;
            if (stampAt < 3 || seqAt < 5) {
                throw new IllegalStateException("unexpected send frame layout");
            }
            return new PacedPublisher(vertx, ws, settings.window, perNano, 1024, () -> tally.received.get(index),
                    () -> stopping, n -> {
                        Buffer buffer = Buffer.buffer(template.clone());
                        buffer.setLong(seqAt, tally.seq(index, n));
                        buffer.setLong(stampAt, System.nanoTime());
                        return buffer;
                    });
        }
    }

    static Map<String, Object> payload(long t, long seq) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("t", t);
        payload.put("seq", seq);
        return payload;
    }

    private static double cpu(long pid) {
        return pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        while (System.nanoTime() < nanos) {
            Thread.sleep(Math.max(1, (nanos - System.nanoTime()) / 1_000_000));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
