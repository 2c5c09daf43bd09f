package dev.skynetbridge.support.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TimeZone;

/** Writes a log line as {@code 2026-12-02 19:39:40.000 INFO  MqttLink - message}, then the stack trace if any. */
final class ConsoleLogWriter {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final PrintStream out;
    /**
     * The local time zone through {@link TimeZone}, not java.time: java.time's first zone lookup searches every jar
     * of the class path for zone-rule providers (~0.14 s of CPU with the gateway's 150 jars), on the way to the
     * first line of the log.
     */
    private final TimeZone zone;

    ConsoleLogWriter(PrintStream out) {
        this(out, TimeZone.getDefault());
    }

    ConsoleLogWriter(PrintStream out, TimeZone zone) {
        this.out = out;
        this.zone = zone;
    }

    void write(LogEvent event) {
        StringBuilder line = new StringBuilder(128);
        appendLocalTime(line, System.currentTimeMillis());
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

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} in the local zone. */
    void appendLocalTime(StringBuilder line, long epochMillis) {
        long local = epochMillis + zone.getOffset(epochMillis);
        long days = Math.floorDiv(local, MILLIS_PER_DAY);
        long millisOfDay = Math.floorMod(local, MILLIS_PER_DAY);
        // The proleptic Gregorian date of a day number (eras of 400 years of 146,097 days, years from March).
        long shifted = days + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        long month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        line.append(year).append('-');
        twoDigits(line, month).append('-');
        twoDigits(line, day).append(' ');
        twoDigits(line, millisOfDay / 3_600_000).append(':');
        twoDigits(line, millisOfDay / 60_000 % 60).append(':');
        twoDigits(line, millisOfDay / 1_000 % 60).append('.');
        long millis = millisOfDay % 1_000;
        line.append((char) ('0' + millis / 100));
        twoDigits(line, millis % 100);
    }

    private static StringBuilder twoDigits(StringBuilder line, long value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
