package dev.skynetbridge.bridge.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The archive's Kafka client (kafka-clients, no Camel): an idempotent producer with
 * {@code acks=all} that takes {@link ArchiveRecord}s for the {@link ArchiveOutbox}, and answers
 * whether the brokers know the topic ({@link #probe}).
 */
final class KafkaArchiveTransport implements ArchiveOutbox.Transport, AutoCloseable {

    private final String topic;
    private final Producer<String, byte[]> producer;

    KafkaArchiveTransport(String topic, Producer<String, byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** A producer from client properties (bootstrap servers, compression, security ...) plus the archive's fixed ones. */
    static KafkaArchiveTransport create(String topic, Properties clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        // Order and no duplicates across the client's own retries, and nothing lost to a leader change.
        properties.put("acks", "all");
        properties.put("enable.idempotence", "true");
        properties.put("max.in.flight.requests.per.connection", "5");
        // A send without metadata fails after 5 s (and is retried by the outbox) instead of blocking a minute.
        properties.putIfAbsent("max.block.ms", "5000");
        properties.putIfAbsent("request.timeout.ms", "5000");
        properties.putIfAbsent("reconnect.backoff.max.ms", "2000");
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        try {
            return new KafkaArchiveTransport(topic, new KafkaProducer<>(properties));
        } catch (KafkaException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("Kafka archive to topic " + topic + ": cannot create the Kafka client: "
                    + cause.getMessage(), e);
        }
    }

    @Override
    public ArchiveOutbox.Refusal send(ArchiveRecord record, ArchiveOutbox.Completion done) {
        Thread caller = Thread.currentThread();
        Throwable[] failedInside = new Throwable[1];
        boolean[] sending = {true};
        try {
            producer.send(producerRecord(record), (metadata, failure) -> {
                // kafka-clients calls back on the caller's thread, inside send(), for a record it never queued.
                if (sending[0] && Thread.currentThread() == caller) {
                    failedInside[0] = failure;
                    return;
                }
                done.completed(failure);
            });
        } catch (RuntimeException e) { // producer closed, interrupted, no metadata within max.block.ms
            return new ArchiveOutbox.Refusal(e, isRetriable(e));
        } finally {
            sending[0] = false;
        }
        if (failedInside[0] != null) {
            return new ArchiveOutbox.Refusal(failedInside[0], isRetriable(failedInside[0]));
        }
        return null;
    }

    private ProducerRecord<String, byte[]> producerRecord(ArchiveRecord record) {
        List<Header> headers = new ArrayList<>(record.headers().size());
        record.headers().forEach((key, text) -> headers.add(new RecordHeader(key, ArchiveRecordCodec.headerBytes(text))));
        return new ProducerRecord<>(topic, null, record.timestampMillis(), record.key(), record.value(), headers);
    }

    /** Asks the brokers for the topic's partitions; throws when they do not answer within max.block.ms. */
    void probe() {
        producer.partitionsFor(topic);
    }

    /** Kafka's retriable errors (timeouts, unreachable or restarting brokers) clear up when Kafka is back. */
    static boolean isRetriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof InterruptException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives Kafka {@code timeout} to acknowledge what was sent, then fails the rest (their callbacks
     * run). An interrupted close still closes, without waiting.
     */
    void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (InterruptException e) {
            boolean interrupted = Thread.interrupted(); // a forced close must still join the I/O thread
            producer.close(Duration.ZERO);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
