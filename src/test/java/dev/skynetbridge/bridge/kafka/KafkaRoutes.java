package dev.skynetbridge.bridge.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/** Route files for the Kafka tests: a skynet-source into the archive Kamelet, the replay Kamelet into a skynet-sink. */
final class KafkaRoutes {

    private KafkaRoutes() {
    }

    /** Archives {@code channel} to {@code topic}; {@code parameters} are more archive Kamelet properties. */
    static String archive(String routeId, String brokers, String topic, String channel, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("brokers", brokers);
        all.put("topic", topic);
        all.putAll(parameters);
        return """
                - route:
                    id: %s
                    from:
                      uri: kamelet:skynet-source
                      parameters:
                        channel: "%s"
                        bridgeId: kafka
                      steps:
                        - to:
                            uri: kamelet:skynet-kafka-archive-sink
                            parameters:
                %s""".formatted(routeId, channel, yaml(all, 16));
    }

    /** Replays {@code topic} into Skynet; {@code parameters} are more replay Kamelet properties. */
    static String replay(String routeId, String brokers, String topic, String groupId, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("brokers", brokers);
        all.put("topic", topic);
        all.put("groupId", groupId);
        all.putAll(parameters);
        return """
                - route:
                    id: %s
                    from:
                      uri: kamelet:skynet-kafka-replay-source
                      parameters:
                %s      steps:
                        - to:
                            uri: kamelet:skynet-sink
                            parameters:
                              channel: "*"
                              bridgeId: kafka
                              parseJson: false
                """.formatted(routeId, yaml(all, 8));
    }

    private static String yaml(Map<String, String> parameters, int indent) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, value) -> out.append(" ".repeat(indent)).append(name).append(": \"").append(value)
                .append("\"\n"));
        return out.toString();
    }
}
