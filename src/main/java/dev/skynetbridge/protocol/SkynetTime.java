package dev.skynetbridge.protocol;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Message times on the wire. v2 pushes carry RFC 3339 UTC text with a {@code Z} suffix and 0,
 * 3, 6 or 9 fraction digits, whichever is the shortest exact form (as the reference's chrono
 * writes them); v1 events carry epoch milliseconds.
 */
public final class SkynetTime {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private static final long FIRST_SECOND_OF_YEAR_0 = -62_167_219_200L;
    private static final long LAST_SECOND_OF_YEAR_9999 = 253_402_300_799L;

    /** The last second formatted: every message of that second reuses its text (a hot path of the server). */
    private record FormattedSecond(long epochSecond, String text) {
    }

    private static volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    private SkynetTime() {
    }

    /**
     * The RFC 3339 text of {@code time}; for years 0000-9999 it is exactly {@link Instant#toString()},
     * without running a formatter for every message.
     */
    public static String formatRfc3339(Instant time) {
        FormattedSecond second = lastSecond;
        if (second.epochSecond() != time.getEpochSecond()) {
            if (time.getEpochSecond() < FIRST_SECOND_OF_YEAR_0 || time.getEpochSecond() > LAST_SECOND_OF_YEAR_9999) {
                return time.toString(); // RFC 3339 has no form for such years; rare enough for the slow path
            }
            second = new FormattedSecond(time.getEpochSecond(), SECONDS.format(time));
            lastSecond = second;
        }
        StringBuilder text = new StringBuilder(30).append(second.text());
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
            text.append('.');
            String number = Integer.toString(fraction);
            for (int i = number.length(); i < digits; i++) {
                text.append('0');
            }
            text.append(number);
        }
        return text.append('Z').toString();
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
