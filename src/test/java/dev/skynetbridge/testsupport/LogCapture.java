package dev.skynetbridge.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything logged in this test JVM from the first use on: each event's logger, formatted
 * message and stack trace (causes included), kept in a bounded ring. {@link #everything()}
 * lowers every logger to ALL until closed, so DEBUG and TRACE lines are seen too.
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
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        AbstractAppender appender = new AbstractAppender("test-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                record(event);
            }
        };
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (logger != config.getRootLogger() && !logger.isAdditive()) {
                logger.addAppender(appender, Level.ALL, null);
            }
        }
        context.updateLoggers();
        installed = true;
    }

    private static void record(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                + event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        synchronized (LogCapture.class) {
            if (LINES.size() >= MAX_LINES) {
                LINES.pollFirst();
            }
            LINES.addLast(line.toString());
        }
    }

    /** Every logger at ALL until the returned handle is closed. */
    public static AutoCloseable everything() {
        install();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Map<LoggerConfig, Level> before = new HashMap<>();
        before.put(config.getRootLogger(), config.getRootLogger().getLevel());
        config.getLoggers().values().forEach(logger -> before.put(logger, logger.getLevel()));
        before.keySet().forEach(logger -> logger.setLevel(Level.ALL));
        context.updateLoggers();
        return () -> {
            before.forEach(LoggerConfig::setLevel);
            context.updateLoggers();
        };
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
