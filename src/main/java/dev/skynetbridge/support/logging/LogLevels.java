package dev.skynetbridge.support.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which level each logger writes at: the longest configured name that is the logger's own name or a dotted prefix
 * of it decides ({@code com.hivemq} covers {@code com.hivemq.mqtt.Foo}, not {@code com.hivemqx}); the root decides
 * for the rest. Immutable.
 */
public final class LogLevels {

    /** Below every level: a logger at OFF writes nothing. */
    public static final int OFF = 50;
    /** The logger names {@code skynet.log.level} sets: the gateway's own and Camel's, which says what it starts. */
    public static final List<String> GATEWAY_LOGGERS = List.of("dev.skynetbridge", "org.apache.camel");
    /** Levels when nothing is configured: the gateway and Camel at INFO, libraries (HiveMQ, Kafka, Netty) at WARN. */
    public static final LogLevels DEFAULTS = new LogLevels(Map.of("dev.skynetbridge", 20, "org.apache.camel", 20), 30);

    private final Map<String, Integer> byName;
    private final int root;

    private LogLevels(Map<String, Integer> byName, int root) {
        this.byName = Map.copyOf(byName);
        this.root = root;
    }

    /**
     * The defaults with {@code gatewayLevel} (skynet.log.level; blank: INFO) for the gateway's loggers and
     * {@code perLogger} (skynet.log.levels: {@code name=LEVEL,name=LEVEL}; {@code root=LEVEL} for every other) over
     * them.
     *
     * @throws IllegalArgumentException naming the bad part and what is expected (the caller names the setting)
     */
    public static LogLevels parse(String gatewayLevel, String perLogger) {
        Map<String, Integer> names = new LinkedHashMap<>(DEFAULTS.byName);
        int root = DEFAULTS.root;
        if (gatewayLevel != null && !gatewayLevel.isBlank()) {
            int level = level(gatewayLevel);
            GATEWAY_LOGGERS.forEach(name -> names.put(name, level));
        }
        for (String entry : perLogger == null ? new String[0] : perLogger.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'" + entry.trim() + "' is not name=LEVEL");
            }
            int level;
            try {
                level = level(entry.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
            if (name.equals("root")) {
                root = level;
            } else {
                names.put(name, level);
            }
        }
        return new LogLevels(names, root);
    }

    private static int level(String text) {
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> 0;
            case "DEBUG" -> 10;
            case "INFO" -> 20;
            case "WARN", "WARNING" -> 30;
            case "ERROR" -> 40;
            case "OFF" -> OFF;
            default -> throw new IllegalArgumentException("'" + text.trim() + "' is not a level; use TRACE, DEBUG,"
                    + " INFO, WARN, ERROR or OFF");
        };
    }

    /** The lowest level {@code loggerName} writes (an {@link org.slf4j.event.Level#toInt()} value, or OFF). */
    public int thresholdOf(String loggerName) {
        String name = loggerName;
        while (true) {
            Integer level = byName.get(name);
            if (level != null) {
                return level;
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return root;
            }
            name = name.substring(0, dot);
        }
    }

    /** The configured names and their levels, root last (for the start-up line and tests). */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        byName.forEach((name, level) -> lines.add(name + "=" + nameOf(level)));
        Collections.sort(lines);
        lines.add("root=" + nameOf(root));
        return lines;
    }

    static String nameOf(int level) {
        return switch (level) {
            case 0 -> "TRACE";
            case 10 -> "DEBUG";
            case 20 -> "INFO";
            case 30 -> "WARN";
            case 40 -> "ERROR";
            default -> "OFF";
        };
    }
}
