package dev.skynetbridge.support.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * One named logger. Whether a level is on is one volatile read (libraries ask {@code isTraceEnabled()} on hot
 * paths); the threshold changes when the levels are configured or a listener takes the logger's events.
 */
final class GatewayLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient GatewayLogging logging;
    /** The lowest level that goes anywhere: the console's, or a listener's or observer's if lower. */
    private volatile int threshold;
    /** The lowest level the console writes for this logger (the configured levels' answer for its name). */
    private volatile int consoleThreshold;

    GatewayLogger(String name, GatewayLogging logging) {
        this.name = name;
        this.logging = logging;
    }

    void thresholds(int lowest, int console) {
        consoleThreshold = console;
        threshold = lowest;
    }

    boolean writesToConsole(Level level) {
        return level.toInt() >= consoleThreshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return threshold <= Level.TRACE.toInt();
    }

    @Override
    public boolean isDebugEnabled() {
        return threshold <= Level.DEBUG.toInt();
    }

    @Override
    public boolean isInfoEnabled() {
        return threshold <= Level.INFO.toInt();
    }

    @Override
    public boolean isWarnEnabled() {
        return threshold <= Level.WARN.toInt();
    }

    @Override
    public boolean isErrorEnabled() {
        return threshold <= Level.ERROR.toInt();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null; // no caller location in the output: finding it costs a stack walk per line
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        logging.dispatch(this, new LogEvent(name, level, messagePattern, arguments, throwable));
    }
}
