package dev.skynetbridge.camel;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;

/**
 * Rejects text that is no number for a whole-number endpoint option, before the generated configurer binds it. Camel's
 * generated configurers read every int and long option as a time (5s, 1m30s, 250ms), and text with no time in it
 * (abc, 80a, 1.5) silently becomes 0: port=8O80 would listen on a random port, qos=l publish at QoS 0.
 */
public final class WholeNumberOptions {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d+");
    /** What Camel's TimeUtils reads: numbers each followed by d, h, m, s or ms. */
    private static final Pattern TIME = Pattern.compile("(\\d+\\s*(ms|d|h|m|s)\\s*)+", Pattern.CASE_INSENSITIVE);
    /** ISO-8601 durations (PT5S), which options of type duration also take. */
    private static final Pattern ISO_DURATION = Pattern.compile("[-+]?P[\\dYMWDTHS.,]+", Pattern.CASE_INSENSITIVE);

    private WholeNumberOptions() {
    }

    /**
     * @param endpoint the endpoint as the user wrote it, without options (skynet-rpc:Echo), for the message
     * @throws IllegalArgumentException naming the endpoint, the option and the value
     */
    public static void check(String endpoint, PropertyConfigurer configurer, Map<String, Object> parameters) {
        if (!(configurer instanceof PropertyConfigurerGetter options)) {
            return;
        }
        parameters.forEach((name, value) -> {
            if (value instanceof String text && isWholeNumberType(options.getOptionType(name, true))
                && !text.startsWith("#")) { // #bean references are Camel's to resolve
                if (!WHOLE_NUMBER.matcher(text).matches() && !TIME.matcher(text).matches()
                    && !ISO_DURATION.matcher(text).matches()) {
                    throw new IllegalArgumentException(endpoint + ": option " + name + " is '" + text
                            + "', which is not a whole number (times may also be written 5s, 250ms, 1m30s)");
                }
            }
        });
    }

    private static boolean isWholeNumberType(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class;
    }
}
