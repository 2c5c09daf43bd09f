package dev.skynetbridge.bench;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.bridge.kafka.KafkaBridgeStatus;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A quick, rerunnable throughput number for the Skynet -> Kafka archive, not a test (surefire
 * skips it): the whole gateway with the {@code skynet-kafka-archive} template, a real KRaft broker,
 * both inside THIS JVM (so they share its CPU), and websocket publishers that pipeline their sends
 * as fast as the socket takes them. Prints messages/s from the first send to the last
 * acknowledged record, and checks the topic's end offset.
 *
 * <p>Run: {@code mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test} then {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.skynetbridge.bridge.kafka.KafkaArchiveBench [messages] [publishers] [extra template params a=b,c=d]}.
 */
public final class KafkaArchiveBench {

    private KafkaArchiveBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int publishers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String extra = args.length > 2 ? args[2] : "";
        int warmup = Math.min(20_000, messages / 5);
        KafkaBroker broker = new KafkaBroker();
        broker.start();
        broker.createTopic("bench", 1);
        StringBuilder routes = new StringBuilder("""
                - route:
                    from:
                      uri: kamelet:skynet-source
                      steps:
                        - to:
                            uri: kamelet:skynet-kafka-archive-sink
                            parameters:
                              brokers: "%s"
                              topic: "bench"
                              bufferSize: %d
                """.formatted(broker.bootstrapServers(), warmup + messages));
        for (String pair : extra.isBlank() ? new String[0] : extra.split(",")) {
            String[] kv = pair.split("=", 2);
            routes.append("              ").append(kv[0]).append(": \"").append(kv[1]).append("\"\n");
        }
        Vertx vertx = Vertx.vertx();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("bench", routes.toString()))) {
            KafkaBridgeStatus status = (KafkaBridgeStatus) HealthCheckRegistry.get(gateway.context())
                    .getCheck("skynet-kafka-archive-bench").orElseThrow();
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                WebSocketClient client = vertx.createWebSocketClient();
                sockets.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                        .setPort(gateway.skynetPort()).setURI("/connect/")).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
            }
            run(sockets, warmup, status, 0);
            System.out.printf("warm-up: %d messages archived%n", warmup);
            long start = System.nanoTime();
            run(sockets, messages, status, warmup);
            double seconds = (System.nanoTime() - start) / 1e9;
            long endOffset = endOffset(broker.bootstrapServers());
            System.out.printf("archived %d messages with %d publishers in %.2f s: %.0f msg/s; topic end offset %d"
                              + " (expected %d); dropped %d%n", messages, publishers, seconds, messages / seconds,
                    endOffset, warmup + messages, status.droppedCount());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            broker.close();
        }
        System.exit(0);
    }

    /** Each publisher sends its share on its own channel, pipelined; waits until the archive acknowledged all. */
    private static void run(List<WebSocket> sockets, int messages, KafkaBridgeStatus status, long before)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < sockets.size(); p++) {
            WebSocket socket = sockets.get(p);
            int share = messages / sockets.size() + (p < messages % sockets.size() ? 1 : 0);
            Channel channel = Channel.of(1000 + p);
            Thread thread = new Thread(() -> {
                for (long seq = 0; seq < share; seq++) {
                    while (socket.writeQueueFull()) {
                        LockSupport.parkNanos(100_000);
                    }
                    socket.writeBinaryMessage(Buffer.buffer(V2Codec.encodeSend(SkynetMessage.of(channel,
                            Map.of("seq", seq, "fuel", 80L, "pos", List.of(1L, -2L, 3L))))));
                }
            }, "bench-publisher-" + p);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (status.deliveredCount() + status.droppedCount() < before + messages && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static long endOffset(String brokers) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition("bench", 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }
}
