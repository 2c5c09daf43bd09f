package dev.skynetbridge.support.logging;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The gateway's loggers: every SLF4J logger of the process when this backend is SLF4J's (it is, in the jar). A line
 * is written to standard output when its level is at or above its logger's ({@link LogLevels}); a logger whose
 * events a listener takes ({@link #divert}) sends them there instead; observers see every event that is on.
 */
public final class GatewayLogging implements ILoggerFactory {

    /** The system property SLF4J reads to skip its search of every jar for a backend (a tenth of a second). */
    private static final String SLF4J_PROVIDER_PROPERTY = "slf4j.provider";
    /** SLF4J notes at INFO, on standard error, that it took the backend the property names: not worth a line. */
    private static final String SLF4J_VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private final Map<String, GatewayLogger> loggers = new ConcurrentHashMap<>();
    private final Map<String, Diversion> diversions = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<LogEvent>> observers = new CopyOnWriteArrayList<>();
    private final ConsoleLogWriter console;
    private volatile LogLevels levels;
    /** Every logger is on from this level, for observers (tests), though the console's levels stay. */
    private volatile int floor = LogLevels.OFF;

    GatewayLogging(LogLevels levels, PrintStream out) {
        this.levels = levels;
        this.console = new ConsoleLogWriter(out);
    }

    /** Makes SLF4J take this backend without searching the class path; call before the first logger. */
    public static void selectForSlf4j() {
        if (System.getProperty(SLF4J_PROVIDER_PROPERTY) == null) {
            System.setProperty(SLF4J_PROVIDER_PROPERTY, GatewaySlf4jProvider.class.getName());
            if (System.getProperty(SLF4J_VERBOSITY_PROPERTY) == null) {
                System.setProperty(SLF4J_VERBOSITY_PROPERTY, "WARN");
            }
        }
    }

    /** This backend, or null when SLF4J logs elsewhere (e.g. a program that embeds the gateway's classes). */
    public static GatewayLogging active() {
        return LoggerFactory.getILoggerFactory() instanceof GatewayLogging logging ? logging : null;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, key -> {
            GatewayLogger logger = new GatewayLogger(key, this);
            refresh(logger);
            return logger;
        });
    }

    /** New levels for every logger, those made already included. */
    public void configure(LogLevels newLevels) {
        levels = newLevels;
        refresh();
    }

    public LogLevels levels() {
        return levels;
    }

    /**
     * Events of logger {@code loggerName} (exactly that name) at {@code lowest} or above go to {@code listener}
     * instead of the console, whatever the configured levels say; one listener per logger.
     *
     * @return closes the diversion: the logger writes as configured again
     */
    public AutoCloseable divert(String loggerName, Level lowest, Consumer<LogEvent> listener) {
        Diversion diversion = new Diversion(lowest.toInt(), listener);
        if (diversions.putIfAbsent(loggerName, diversion) != null) {
            throw new IllegalStateException("the events of logger " + loggerName + " go to a listener already");
        }
        refresh();
        return () -> {
            diversions.remove(loggerName, diversion);
            refresh();
        };
    }

    /** Whether a listener takes the events of logger {@code loggerName}. */
    public boolean diverts(String loggerName) {
        return diversions.containsKey(loggerName);
    }

    /** {@code observer} sees every event that is on, diverted ones included. */
    public AutoCloseable observe(Consumer<LogEvent> observer) {
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    /** Every logger on from {@code lowest} for the observers, until closed; what the console writes is unchanged. */
    public AutoCloseable enableAllFrom(Level lowest) {
        int before = floor;
        floor = lowest.toInt();
        refresh();
        return () -> {
            floor = before;
            refresh();
        };
    }

    void dispatch(GatewayLogger logger, LogEvent event) {
        for (Consumer<LogEvent> observer : observers) {
            observer.accept(event);
        }
        Diversion diversion = diversions.get(event.loggerName());
        if (diversion != null && event.level().toInt() >= diversion.lowest()) {
            diversion.listener().accept(event);
        } else if (logger.writesToConsole(event.level())) {
            console.write(event);
        }
    }

    private void refresh() {
        loggers.values().forEach(this::refresh);
    }

    /** The logger's console level from the configured levels, and the lowest that goes anywhere. */
    private void refresh(GatewayLogger logger) {
        int console = levels.thresholdOf(logger.getName());
        int lowest = Math.min(console, floor);
        Diversion diversion = diversions.get(logger.getName());
        logger.thresholds(diversion == null ? lowest : Math.min(lowest, diversion.lowest()), console);
    }

    private record Diversion(int lowest, Consumer<LogEvent> listener) {
    }
}
