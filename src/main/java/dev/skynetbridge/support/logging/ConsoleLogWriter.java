package dev.skynetbridge.support.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Writes a log line as {@code 2026-12-02 19:39:40.000 INFO  MqttLink - message}, then the stack trace if any. */
final class ConsoleLogWriter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final PrintStream out;

    ConsoleLogWriter(PrintStream out) {
        this.out = out;
    }

    void write(LogEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(LocalDateTime.now(), line);
        String level = event.level().name();
        line.append(' ').append(level).append(" ".repeat(6 - level.length()))
                .append(event.shortLoggerName()).append(" - ").append(event.message()).append(System.lineSeparator());
        if (event.thrown() != null) {
            StringWriter trace = new StringWriter();
            event.thrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        // One print per event: PrintStream locks per call, so lines of different threads never interleave.
        out.print(line);
        out.flush();
    }
}
