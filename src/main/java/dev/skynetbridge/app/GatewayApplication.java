package dev.skynetbridge.app;

import dev.skynetbridge.bridge.webhook.WebhookHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: a Camel Main application that reads {@code config/application.properties}, starts
 * the embedded services and loads every {@code routes/*.yaml}.
 *
 * <pre>
 *   java -jar target/skynet-bridge.jar            run the gateway
 *   java -jar target/skynet-bridge.jar validate   check config/ and routes/ without starting anything
 * </pre>
 */
public final class GatewayApplication {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApplication.class);

    /** The configuration file; {@code -Dskynet.config=...} or env {@code SKYNET_CONFIG} point elsewhere. */
    static final String DEFAULT_CONFIG_FILE = "config/application.properties";
    /** Route templates shipped in the jar (one file per bridge kind). */
    static final String TEMPLATES_PATTERN = "classpath:skynet/templates/*.yaml";

    private final Main main = new Main();
    private EmbeddedServices services;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "validate".equals(args[0])) {
            System.exit(new ConfigurationValidator(configFile()).run(System.out, System.err));
        }
        if (args.length > 0 && !"run".equals(args[0])) {
            System.err.println("Unknown command " + Arrays.toString(args) + ": use no argument (run) or 'validate'");
            System.exit(2);
        }
        new GatewayApplication().run();
    }

    static Path configFile() {
        String configured = System.getProperty("skynet.config", System.getenv("SKYNET_CONFIG"));
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_CONFIG_FILE : configured);
    }

    /** Configures Camel Main; shared by run() and by tests that start the gateway in-process. */
    public Main configure() {
        return configure(new java.util.Properties());
    }

    /**
     * @param overrides settings that win over the configuration file (tests use them for free ports and
     *     temporary route folders)
     */
    public Main configure(java.util.Properties overrides) {
        if (!overrides.isEmpty()) {
            main.setOverrideProperties(overrides);
        }
        Path config = configFile();
        if (Files.isRegularFile(config)) {
            main.setPropertyPlaceholderLocations("file:" + config.toAbsolutePath());
        } else {
            LOG.info("No {} found: running on the embedded defaults", config);
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                GatewaySettings settings = settingsOf(context);
                Path routes = Path.of(settings.get(GatewaySettings.ROUTES_DIR));
                // The shipped route templates first, so the user's files can use them.
                support.configure().withRoutesIncludePattern(TEMPLATES_PATTERN + ",file:" + routes.toAbsolutePath()
                        + "/*.yaml");
                if (!Files.isDirectory(routes)) {
                    LOG.warn("Routes folder {} does not exist ({}): no routes loaded", routes.toAbsolutePath(),
                            GatewaySettings.ROUTES_DIR.key());
                }
                services = EmbeddedServices.start(settings);
                services.bindInto(context.getRegistry());
                if (settings.getBoolean(GatewaySettings.HTTP_ENABLED)) {
                    WebhookHttpServer.install(context, settings.get(GatewaySettings.HTTP_HOST),
                            settings.getInt(GatewaySettings.HTTP_PORT), settings.getInt(GatewaySettings.HTTP_MAX_BODY_SIZE));
                }
            }

            @Override
            public void afterStop(BaseMainSupport support) {
                if (services != null) {
                    services.close();
                    services = null;
                }
            }
        });
        return main;
    }

    static GatewaySettings settingsOf(CamelContext context) {
        return new GatewaySettings(key -> context.getPropertiesComponent().resolveProperty(key), System.getenv());
    }

    public void run() throws Exception {
        configure().run();
    }

    public Main main() {
        return main;
    }

    public EmbeddedServices services() {
        return services;
    }
}
