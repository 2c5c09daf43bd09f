package dev.skynetbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.testsupport.MosquittoBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker's bound for QoS 0 messages held for a subscriber that does not read for a moment (a
 * stalled process, a busy machine): HiveMQ CE's built-in 5 MiB lost messages of a 20,000 msg/s channel in a
 * stall; the gateway's default holds 32 MiB. A mosquitto_sub at QoS 0 is stopped (SIGSTOP) while 16 MiB
 * arrive, then continued: with the default every message arrives, with 5 MiB the broker drops and counts.
 */
class EmbeddedBrokerQos0MemoryTest {

    static final int MESSAGES = 16_000;
    static final int SIZE = 1024;

    @Test
    void aStalledQos0SubscriberLosesNothingUnderTheDefaultAndTheOldBoundDropsAndCounts() throws Exception {
        MosquittoBroker.assumeAvailable(); // mosquitto_pub and mosquitto_sub come with the same packages
        EmbeddedMqttBrokerOptions defaults = EmbeddedMqttBrokerOptions.defaults().withPort(0);
        assertThat(stalledSubscriberRun(defaults)).as("broker drops with the default QoS 0 bound").isZero();
        assertThat(stalledSubscriberRun(defaults.withQos0MemoryPerClient(5 * 1024 * 1024)))
                .as("broker drops with HiveMQ's 5 MiB").isPositive();
    }

    /** Stops a QoS 0 subscriber, publishes 16 MiB, continues it; returns the broker's dropped count. */
    static long stalledSubscriberRun(EmbeddedMqttBrokerOptions options) throws Exception {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(options);
        broker.start();
        Process subscriber = null;
        try {
            subscriber = new ProcessBuilder(tool("mosquitto_sub"), "-q", "0", "-h", "127.0.0.1", "-p",
                    String.valueOf(broker.port()), "-t", "stall/#").redirectErrorStream(true).start();
            AtomicLong lines = new AtomicLong();
            Process reading = subscriber;
            Thread reader = new Thread(() -> countLines(reading, lines), "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                publish(broker.port(), "probe\n");
                return lines.get() > 0;
            });
            long probes = lines.get();
            signal(subscriber, "STOP");
            String line = "x".repeat(SIZE - 1) + "\n";
            Process publisher = publish(broker.port(), line.repeat(MESSAGES));
            assertThat(publisher.waitFor(60, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
            signal(subscriber, "CONT");
            await().atMost(Duration.ofSeconds(60)).until(() -> lines.get() - probes + broker.droppedMessages()
                    >= MESSAGES);
            return broker.droppedMessages();
        } finally {
            if (subscriber != null) {
                subscriber.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            broker.stop();
        }
    }

    static Process publish(int port, String lines) throws Exception {
        Process process = new ProcessBuilder(tool("mosquitto_pub"), "-q", "1", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-t", "stall/t", "-l").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(lines.getBytes(StandardCharsets.US_ASCII));
        }
        return process;
    }

    static void signal(Process process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor())
                .as("kill -%s", signal).isZero();
    }

    static String tool(String name) {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/" + name)) ? "/usr/bin/" + name : name;
    }

    static void countLines(Process process, AtomicLong lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            while (in.readLine() != null) {
                lines.incrementAndGet();
            }
        } catch (Exception e) {
            // the process was stopped
        }
    }
}
