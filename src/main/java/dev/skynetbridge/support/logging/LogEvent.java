package dev.skynetbridge.support.logging;

import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * One log call: the logger, the level, the SLF4J pattern with its arguments (as the library passed them, so a
 * listener can read a client id out of them without parsing text) and the throwable, if any.
 */
public record LogEvent(String loggerName, Level level, String pattern, Object[] arguments, Throwable thrown) {

    /** The message with its {@code {}} filled in. */
    public String message() {
        return arguments == null || arguments.length == 0 ? String.valueOf(pattern)
                : MessageFormatter.basicArrayFormat(pattern, arguments);
    }

    /** The logger's last name part ({@code MqttLink} of {@code dev.skynetbridge.mqtt.MqttLink}). */
    public String shortLoggerName() {
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
