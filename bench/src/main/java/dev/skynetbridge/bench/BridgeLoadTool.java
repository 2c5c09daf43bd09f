package dev.skynetbridge.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for the gateway's bridges: websocket publishers send Skynet messages into the
 * gateway's embedded Skynet server, and a real MQTT 5 subscriber (HiveMQ MQTT client) or Kafka consumer
 * reads what the bridge delivered; or the other way ({@code mqtt-in}): an MQTT 5 publisher into the broker
 * the bridge reads, and websocket v2 listeners of the channel on the gateway's server.
 *
 * <pre>
 * java -cp bench/target/skynet-bridge-bench.jar dev.skynetbridge.bench.BridgeLoadTool mqtt  --url ws://127.0.0.1:SKYNET_PORT/connect
 *      --mqtt-url tcp://127.0.0.1:1883 --qos 0 [--rate 2000] --gateway-pid PID --broker-pid PID
 * java -cp bench/target/skynet-bridge-bench.jar dev.skynetbridge.bench.BridgeLoadTool kafka --url ...
 *      --kafka-brokers 127.0.0.1:KAFKA_PORT --topic skynet [--rate 2000] --gateway-pid PID --broker-pid PID
 * java -cp bench/target/skynet-bridge-bench.jar dev.skynetbridge.bench.BridgeLoadTool mqtt-in --url ...
 *      --mqtt-url tcp://127.0.0.1:MQTT_PORT --qos 1 --rate 5000 --listeners 10 --gateway-pid PID
 * </pre>
 *
 * Every payload is the map {@code {"t": <System.nanoTime() at send>, "seq": <run|publisher|n>}}.
 * (an MQTT publisher sends it as the JSON body {@code {"t":...,"seq":...}}, which the default bridge
 * turns into that map). Publisher and receiver share this JVM, so receive time minus {@code t} is the end-to-end
 * latency; each sequence number must arrive exactly once (missing and duplicates are reported).
 * Run with {@code --help} for every option.
 */
public final class BridgeLoadTool {

    private BridgeLoadTool() {
    }

    public static void main(String[] args) throws Exception {
        BridgeLoadSettings settings = BridgeLoadSettings.parse(args);
        // Run ids below 2^12 keep every sequence number below 2^53: a bridge that reads JSON numbers as
        // doubles (JavaScript, Node-RED) carries them exactly.
        boolean mqttIn = settings.sink == BridgeLoadSettings.Sink.MQTT_IN;
        BridgeLoadTally tally = new BridgeLoadTally(mqttIn ? settings.listeners : settings.pubs,
                ThreadLocalRandom.current().nextInt(1, 1 << 12));
        // mqtt-in's listeners take every delivery (10 x the rate): two event loops, each listener on one of them.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(mqttIn ? 2 : 1));
        BridgeReceiver receiver = switch (settings.sink) {
            case MQTT -> new MqttReceiver(settings, tally);
            case KAFKA -> new KafkaReceiver(settings, tally);
            case SKYNET -> new SkynetReceiver(settings, tally, vertx, 1, false);
            case MQTT_IN -> new SkynetReceiver(settings, tally, vertx, settings.listeners, true);
        };
        LoadPublishers publishers = mqttIn ? new MqttPublisher(settings, tally)
                : new WebSocketPublishers(settings, vertx, tally);
        try {
            receiver.start();
            new BridgeLoadRun(settings, publishers, tally).run();
        } finally {
            publishers.close();
            receiver.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static Map<String, Object> payload(long t, long seq) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("t", t);
        payload.put("seq", seq);
        return payload;
    }

    static double cpu(long pid) {
        return pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        while (System.nanoTime() < nanos) {
            Thread.sleep(Math.max(1, (nanos - System.nanoTime()) / 1_000_000));
        }
    }

    static void sleep(long millis) {
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
