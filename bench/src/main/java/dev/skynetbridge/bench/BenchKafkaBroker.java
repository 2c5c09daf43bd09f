package dev.skynetbridge.bench;

import dev.skynetbridge.testsupport.KafkaBroker;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in its own JVM, for {@code bench/run-bridge-bench.sh}: the
 * broker's CPU is then apart from the gateway's. The Kafka server jars are test-scoped, hence this
 * lives under src/test. Prints {@code pid=<pid> bootstrap=<host:port>} once it serves clients and
 * the topic exists; runs until killed (or {@code --max-seconds}, 900 by default, so a forgotten
 * one does not linger).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout
 *     -Dmdep.includeScope=test) dev.skynetbridge.bench.BenchKafkaBroker --topic skynet
 * </pre>
 */
public final class BenchKafkaBroker {

    private BenchKafkaBroker() {
    }

    public static void main(String[] args) throws Exception {
        String topic = "skynet";
        int partitions = 1;
        long maxSeconds = 900;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--topic" -> topic = args[i + 1];
                case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("usage: BenchKafkaBroker [--topic skynet] [--partitions 1] [--max-seconds 900]");
                    System.exit(2);
                }
            }
        }
        KafkaBroker broker = new KafkaBroker();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "bench-kafka-stop"));
        broker.start();
        broker.createTopic(topic, partitions);
        System.out.println("pid=" + ProcessHandle.current().pid() + " bootstrap=" + broker.bootstrapServers()
                + " topic=" + topic);
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
        System.exit(0);
    }
}
