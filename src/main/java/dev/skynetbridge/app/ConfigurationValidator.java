package dev.skynetbridge.app;

import java.io.PrintStream;
import java.nio.file.Path;

/** The {@code validate} command: checks config/ and routes/ the way start-up would, starting nothing. */
final class ConfigurationValidator {

    private final Path configFile;

    ConfigurationValidator(Path configFile) {
        this.configFile = configFile;
    }

    int run(PrintStream out, PrintStream err) {
        err.println("validate: not implemented yet");
        return 1;
    }
}
