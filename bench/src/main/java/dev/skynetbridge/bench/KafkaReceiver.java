package dev.skynetbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A Kafka consumer of the archive topic's partitions, from their current end, on its own thread. */
final class KafkaReceiver implements BridgeReceiver {

    private final BridgeLoadSettings settings;
    private final BridgeLoadTally tally;
    private final BridgeProbe probe = new BridgeProbe();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread poller;
    private volatile boolean running;

    KafkaReceiver(BridgeLoadSettings settings, BridgeLoadTally tally) {
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
                BridgeLoadTool.sleep(200);
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
