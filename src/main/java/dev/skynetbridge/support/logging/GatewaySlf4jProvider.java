package dev.skynetbridge.support.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * How SLF4J finds {@link GatewayLogging}: named in {@code META-INF/services} and, to skip SLF4J's search of the
 * class path, in the system property {@code slf4j.provider} ({@link GatewayLogging#selectForSlf4j()}). Levels start
 * as the environment and {@code -D} properties say ({@code SKYNET_LOG_LEVEL}, {@code SKYNET_LOG_LEVELS}); the
 * application applies the configuration file's once it has read it.
 */
public final class GatewaySlf4jProvider implements SLF4JServiceProvider {

    private GatewayLogging logging;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public void initialize() {
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
        logging = new GatewayLogging(startLevels(), System.out);
    }

    private static LogLevels startLevels() {
        try {
            return LogLevels.parse(setting("skynet.log.level", "SKYNET_LOG_LEVEL"),
                    setting("skynet.log.levels", "SKYNET_LOG_LEVELS"));
        } catch (IllegalArgumentException e) {
            return LogLevels.DEFAULTS; // the application's check of its settings reports it, with where it is set
        }
    }

    private static String setting(String key, String environmentVariable) {
        String value = System.getenv(environmentVariable);
        return value != null ? value : System.getProperty(key);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return logging;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
