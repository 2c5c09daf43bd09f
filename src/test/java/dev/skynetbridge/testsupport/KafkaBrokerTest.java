package dev.skynetbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBrokerTest {

    private final KafkaBroker broker = new KafkaBroker();

    @BeforeAll
    void startBroker() {
        broker.start();
    }

    @AfterAll
    void closeBroker() {
        broker.close();
    }

    @Test
    void idempotentProducerRecordsComeBackWithKeysAndHeaders() throws Exception {
        String topic = "skynet-archive-" + UUID.randomUUID();
        broker.createTopic(topic, 1);

        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 3; i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("skynet-channel", ("n:" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, null, "n:" + i, "payload-" + i, headers))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, String>> records = readAll(topic, 3);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("n:0", "n:1", "n:2");
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("payload-0", "payload-1", "payload-2");
        assertThat(records).allSatisfy(r -> assertThat(
                new String(r.headers().lastHeader("skynet-channel").value(), StandardCharsets.UTF_8))
                .isEqualTo(r.key()));
    }

    @Test
    void recordSentDuringAnOutageIsDeliveredAfterRestart() throws Exception {
        String topic = "skynet-outage-" + UUID.randomUUID();
        broker.createTopic(topic, 1);

        // A long delivery timeout lets the producer hold the record until the broker is back.
        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"))) {
            producer.send(new ProducerRecord<>(topic, "n:1", "before")).get(30, TimeUnit.SECONDS);

            broker.stop();
            Future<RecordMetadata> duringOutage = producer.send(new ProducerRecord<>(topic, "n:1", "during"));
            // The broker is down: the record cannot have been acknowledged.
            assertThat(duringOutage).isNotDone();

            broker.start();
            RecordMetadata metadata = duringOutage.get(90, TimeUnit.SECONDS);
            assertThat(metadata.offset()).isEqualTo(1);
        }

        assertThat(readAll(topic, 2)).extracting(ConsumerRecord::value).containsExactly("before", "during");
    }

    private KafkaProducer<String, String> producer(Map<String, String> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    private List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await("%d records on %s".formatted(expected, topic)).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }
}
