package dev.skynetbridge.testsupport;

import dev.skynetbridge.support.logging.GatewayLogging;
import dev.skynetbridge.support.logging.LogEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.event.Level;

/**
 * Everything logged in this test JVM from the first use on: each event's level, logger, formatted message and
 * stack trace (causes included), kept in a bounded ring. {@link #everything()} turns every logger on down to
 * TRACE until closed, so DEBUG and TRACE lines are seen too (the console still writes only what it is set to).
 */
public final class LogCapture {

    private static final int MAX_LINES = 500_000;
    private static final ArrayDeque<String> LINES = new ArrayDeque<>();
    private static boolean installed;

    private LogCapture() {
    }

    /** Starts capturing (idempotent). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        logging().observe(LogCapture::record);
        installed = true;
    }

    private static GatewayLogging logging() {
        GatewayLogging logging = GatewayLogging.active();
        if (logging == null) {
            throw new IllegalStateException("SLF4J does not log through the gateway's backend in this test JVM");
        }
        return logging;
    }

    private static void record(LogEvent event) {
        StringBuilder line = new StringBuilder(event.level() + " " + event.loggerName() + " - " + event.message());
        if (event.thrown() != null) {
            StringWriter trace = new StringWriter();
            event.thrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        synchronized (LogCapture.class) {
            if (LINES.size() >= MAX_LINES) {
                LINES.pollFirst();
            }
            LINES.addLast(line.toString());
        }
    }

    /** Every logger on from TRACE until the returned handle is closed. */
    public static AutoCloseable everything() {
        install();
        return logging().enableAllFrom(Level.TRACE);
    }

    public static synchronized List<String> lines() {
        return new ArrayList<>(LINES);
    }

    public static List<String> matching(Predicate<String> test) {
        return lines().stream().filter(test).toList();
    }

    public static int size() {
        synchronized (LogCapture.class) {
            return LINES.size();
        }
    }
}
