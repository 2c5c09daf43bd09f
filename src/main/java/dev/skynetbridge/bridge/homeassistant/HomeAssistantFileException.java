package dev.skynetbridge.bridge.homeassistant;

/**
 * A problem in the Home Assistant file, as one line {@code file:line: problem} that also says what to do. Start-up
 * and {@code validate} print the message as it is.
 */
public final class HomeAssistantFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public HomeAssistantFileException(String message) {
        super(message);
    }
}
