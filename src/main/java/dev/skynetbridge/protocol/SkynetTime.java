package dev.skynetbridge.protocol;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Message times on the wire. v2 pushes carry RFC 3339 UTC text with a {@code Z} suffix and 0,
 * 3, 6 or 9 fraction digits, whichever is the shortest exact form (as the reference's chrono
 * writes them); v1 events carry epoch milliseconds.
 */
public final class SkynetTime {

    private static final long FIRST_SECOND_OF_YEAR_0 = -62_167_219_200L;
    private static final long LAST_SECOND_OF_YEAR_9999 = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;

    private SkynetTime() {
    }

    /**
     * The RFC 3339 text of {@code time}; for years 0000-9999 it is exactly {@link Instant#toString()},
     * built with a few integer operations instead of a formatter (a hot path of the server and bridges).
     */
    public static String formatRfc3339(Instant time) {
        long epochSecond = time.getEpochSecond();
        if (epochSecond < FIRST_SECOND_OF_YEAR_0 || epochSecond > LAST_SECOND_OF_YEAR_9999) {
            return time.toString(); // RFC 3339 has no form for such years; rare enough for the slow path
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        StringBuilder text = new StringBuilder(30);
        appendPadded(text, date.getYear(), 4).append('-');
        appendPadded(text, date.getMonthValue(), 2).append('-');
        appendPadded(text, date.getDayOfMonth(), 2).append('T');
        appendPadded(text, secondOfDay / 3600, 2).append(':');
        appendPadded(text, secondOfDay / 60 % 60, 2).append(':');
        appendPadded(text, secondOfDay % 60, 2);
        int nanos = time.getNano();
        if (nanos != 0) {
            int digits;
            int fraction;
            if (nanos % 1_000_000 == 0) {
                digits = 3;
                fraction = nanos / 1_000_000;
            } else if (nanos % 1_000 == 0) {
                digits = 6;
                fraction = nanos / 1_000;
            } else {
                digits = 9;
                fraction = nanos;
            }
            appendPadded(text.append('.'), fraction, digits);
        }
        return text.append('Z').toString();
    }

    private static StringBuilder appendPadded(StringBuilder text, int value, int digits) {
        for (int limit = 10, i = 1; i < digits; i++, limit *= 10) {
            if (value < limit) {
                text.append('0');
            }
        }
        return text.append(value);
    }

    /** Parses RFC 3339 text with any offset; returns null when the text is not a time. */
    public static Instant parseRfc3339(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
