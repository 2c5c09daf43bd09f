package dev.skynetbridge.app;

import java.io.PrintStream;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * The {@code validate} command: reads config/ and builds every route in routes/ exactly as
 * start-up does, but starts no route, server or broker. Exit status 0 when all is well, 1 with
 * one line naming the file, the line and the problem otherwise.
 */
final class ConfigurationValidator {

    private final Properties overrides;

    ConfigurationValidator() {
        this(new Properties());
    }

    ConfigurationValidator(Properties overrides) {
        this.overrides = overrides;
    }

    int run(PrintStream out, PrintStream err) {
        GatewayApplication application = new GatewayApplication();
        Main main = application.configure(overrides, true);
        try {
            main.start();
            int routes = main.getCamelContext().getRoutes().size();
            out.println("OK: " + GatewayApplication.configFile() + " and " + routes + " routes are valid");
            return 0;
        } catch (Exception e) {
            err.println("INVALID: " + StartupProblem.describe(e, main.getCamelContext()));
            return 1;
        } finally {
            try {
                main.stop();
            } catch (Exception ignored) {
                // nothing was started that needs a clean stop
            }
            GatewayApplication.silenceShutdownHook(main);
        }
    }
}
