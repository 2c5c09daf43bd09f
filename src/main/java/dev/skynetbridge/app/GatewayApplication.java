package dev.skynetbridge.app;

import dev.skynetbridge.app.metrics.GatewayMeters;
import dev.skynetbridge.app.metrics.RouteMeters;
import dev.skynetbridge.app.console.Console;
import dev.skynetbridge.app.console.ConsoleNode;
import dev.skynetbridge.bridge.homeassistant.HomeAssistantDiscovery;
import dev.skynetbridge.bridge.mqtt.SkynetMqttBridgeTemplates;
import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.bridge.webhook.WebhookHttpServer;
import dev.skynetbridge.support.logging.GatewayLogging;
import dev.skynetbridge.support.logging.LogLevels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: a Camel Main application that reads {@code config/application.properties}, starts
 * the embedded services and loads every {@code routes/*.yaml}; their bridges are the Kamelets shipped in the jar
 * ({@code kamelets/*.kamelet.yaml}) and the Java route template {@code skynet-mqtt-bridge}.
 *
 * <pre>
 *   java -jar target/skynet-bridge.jar            run the gateway
 *   java -jar target/skynet-bridge.jar validate   check config/ and routes/ without starting anything
 *   java -jar target/skynet-bridge.jar hash-token &lt;secret&gt;   print the hash: line for the access file
 *   java -jar target/skynet-bridge.jar warm-up    start on free ports, wait until UP, stop (the build's class archive)
 * </pre>
 */
public final class GatewayApplication {

    static {
        GatewayLogging.selectForSlf4j(); // before the first logger of the process, the next line's
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApplication.class);
    /** How long a failed start waits for the services to close before the process ends. */
    private static final Duration FAILED_START_CLOSE_LIMIT = Duration.ofSeconds(1);

    /** The configuration file; {@code -Dskynet.config=...} or env {@code SKYNET_CONFIG} point elsewhere. */
    static final String DEFAULT_CONFIG_FILE = "config/application.properties";
    /** Where kamelet:NAME endpoints find NAME.kamelet.yaml. */
    public static final String KAMELETS_LOCATION = "classpath:kamelets";

    private final Main main = new Main();
    /** The embedded broker started before Camel Main (run only), until the services take it over. */
    private EarlyBrokerStart earlyBroker;
    private EmbeddedServices services;
    private Console console;

    public static void main(String[] args) {
        RuntimeTuning.beforeStart();
        applyLogLevelsOfFile(configFile());
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> {
                // First, before Camel loads: the broker's cold start is the longest piece of the gateway's.
                EarlyBrokerStart early = EarlyBrokerStart.begin(configFile());
                GatewayApplication application = new GatewayApplication();
                application.earlyBroker = early;
                application.run();
            }
            case "validate" -> System.exit(new ConfigurationValidator().run(System.out, System.err));
            case WarmUpCommand.NAME -> System.exit(new WarmUpCommand(System.out, System.err).run());
            case HashTokenCommand.NAME -> System.exit(new HashTokenCommand(System.in, System.out, System.err)
                    .run(Arrays.copyOfRange(args, 1, args.length)));
            default -> {
                System.err.println("Unknown command " + args[0] + ": use no argument (run the gateway), 'validate'"
                        + " (check config/ and routes/), 'hash-token <secret>' (a hash for the access file) or 'warm-up'"
                        + " (start on free ports until UP, then stop)");
                System.exit(2);
            }
        }
    }

    /** The file's log levels before Camel reads it: Camel's own first lines come before the settings are read. */
    private static void applyLogLevelsOfFile(Path configFile) {
        GatewayLogging logging = GatewayLogging.active();
        if (logging == null) {
            return;
        }
        try {
            Properties file = GatewaySettings.readFile(configFile);
            logging.configure(new GatewaySettings(key -> Optional.ofNullable(file.getProperty(key)), System.getenv())
                    .logLevels());
        } catch (IOException | RuntimeException e) {
            // A bad value or a placeholder only Camel resolves: the settings' check at start says where and what.
        }
    }

    static Path configFile() {
        String configured = System.getProperty("skynet.config", System.getenv("SKYNET_CONFIG"));
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_CONFIG_FILE : configured);
    }

    /** Configures Camel Main to run the gateway. */
    public Main configure() {
        return configure(new Properties());
    }

    /**
     * @param overrides settings that win over the configuration file (tests use them for free ports and
     *     temporary route folders)
     */
    public Main configure(Properties overrides) {
        return configure(overrides, false);
    }

    /**
     * @param validateOnly build every route without starting any route, server or broker
     */
    Main configure(Properties overrides, boolean validateOnly) {
        Properties effective = new Properties();
        effective.putAll(overrides);
        // The bridges are Kamelets shipped in the jar (src/main/resources/kamelets/<name>.kamelet.yaml).
        main.addInitialProperty("camel.component.kamelet.location", KAMELETS_LOCATION);
        if (!validateOnly) {
            // A route whose endpoints cannot connect at start (a plain paho-mqtt5: route while its broker is down)
            // is started again in the background with backoff instead of stopping the gateway; the health check
            // reports it DOWN meanwhile. Lowest precedence: config/application.properties may change these.
            main.addInitialProperty("camel.routecontroller.enabled", "true");
            main.addInitialProperty("camel.routecontroller.back-off-delay", "2000");
            main.addInitialProperty("camel.routecontroller.back-off-multiplier", "2");
            main.addInitialProperty("camel.routecontroller.back-off-max-delay", "60000");
            main.addInitialProperty("camel.routecontroller.unhealthy-on-restarting", "true");
        }
        if (validateOnly) {
            effective.setProperty("camel.main.auto-startup", "false");
            effective.setProperty("camel.management.enabled", "false");
            // Camel starts the producers of routes that do not start; paho-mqtt5's connects at once, and a check
            // must not need the broker.
            effective.setProperty("camel.component.paho-mqtt5.lazy-start-producer", "true");
            // The bridges' links must not connect either: a link's clean stop would leave "offline" retained on the
            // status topic of a gateway that is running (and the bidirectional template starts its second route).
            effective.setProperty("camel.component.skynet-mqtt.start-links", "false");
        }
        if (!effective.isEmpty()) {
            main.setOverrideProperties(effective);
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
                SettingsFileCheck.check(config);
                GatewaySettings settings = settingsOf(context);
                LogLevels levels = settings.logLevels();
                GatewayLogging logging = GatewayLogging.active();
                if (logging != null && !validateOnly) {
                    logging.configure(levels);
                }
                Path routes = Path.of(settings.get(GatewaySettings.ROUTES_DIR));
                // The bridges' Kamelets are found by name in the jar (KAMELETS_LOCATION); only the user's files here.
                support.configure().withRoutesIncludePattern("file:" + routes.toAbsolutePath() + "/*.yaml");
                if (!Files.isDirectory(routes)) {
                    LOG.warn("Routes folder {} does not exist ({}): no routes loaded", routes.toAbsolutePath(),
                            GatewaySettings.ROUTES_DIR.key());
                }
                if (validateOnly) {
                    services = EmbeddedServices.forValidation(settings);
                } else {
                    EarlyBrokerStart early = earlyBroker;
                    earlyBroker = null;
                    try {
                        services = EmbeddedServices.start(settings, early);
                    } catch (RuntimeException e) {
                        if (early != null) {
                            early.discardUnlessAdopted();
                        }
                        throw e;
                    }
                }
                services.bindInto(context.getRegistry());
                services.publishProperties(context.getPropertiesComponent(), settings);
                SkynetMqttComponent mqttBridges = context.getComponent("skynet-mqtt", SkynetMqttComponent.class);
                mqttBridges.setInboundQueueSize(settings.mqttInboundQueueSize());
                if (services.mqttBrokerStarted() != null) {
                    mqttBridges.startLinksWhenReady(services.mqttBrokerUrl(), services.mqttBrokerStarted());
                }
                boolean observeTokenRequired = settings.observeTokenRequired(); // validate reports it too
                if (!validateOnly) {
                    console = Console.install(context, services.hub(),
                            new ConsoleNode(services.nodeId(), services.clusterLink()),
                            settings.get(GatewaySettings.MANAGEMENT_HOST),
                            settings.get(GatewaySettings.MANAGEMENT_TOKEN),
                            settings.getPositiveInt(GatewaySettings.MANAGEMENT_CONSOLE_TRAFFIC_PER_SECOND),
                            observeTokenRequired);
                }
                // Java route templates (the MQTT bridge is two routes from one definition, which YAML cannot say).
                support.configure().addRoutesBuilder(new SkynetMqttBridgeTemplates());
                String haFile = settings.get(GatewaySettings.HOMEASSISTANT_FILE);
                HomeAssistantDiscovery.install(context, haFile,
                        !haFile.equals(GatewaySettings.HOMEASSISTANT_FILE.defaultValue()),
                        settings.get(GatewaySettings.HOMEASSISTANT_STATE_FILE), validateOnly);
                if (settings.getBoolean(GatewaySettings.HTTP_ENABLED)) {
                    // platform-http: endpoints need the server to exist even to be validated; then it only
                    // takes a free loopback port for the moment validation lasts.
                    WebhookHttpServer.install(context, validateOnly ? "127.0.0.1" : settings.get(GatewaySettings.HTTP_HOST),
                            validateOnly ? 0 : settings.getInt(GatewaySettings.HTTP_PORT),
                            settings.getInt(GatewaySettings.HTTP_MAX_BODY_SIZE));
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport support) {
                // The route files are loaded, not yet built: Camel checks no Kamelet parameter itself.
                KameletParameterCheck.check(support.getCamelContext());
                if (!validateOnly) {
                    RouteControllerReadiness.register(support.getCamelContext());
                    RouteMeters.install(support.getCamelContext());
                    bindMetersOnceStarted(support.getCamelContext());
                    ClusterHealthCheck.register(support.getCamelContext(), services.clusterLink());
                    ClusterRouteCount.install(support.getCamelContext(), services.clusterLink());
                }
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                if (services != null && !validateOnly) {
                    services.awaitBackgroundStarts();
                    RuntimeTuning.afterStart();
                }
            }

            @Override
            public void afterStop(BaseMainSupport support) {
                closeServices();
            }
        });
        return main;
    }

    /** Camel's MeterRegistry exists once the context has started; bridges add their meters as they start. */
    private void bindMetersOnceStarted(CamelContext camel) {
        try {
            camel.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    try {
                        RouteMeters.registryReady(context);
                        GatewayMeters.bind(context, services);
                    } catch (RuntimeException e) {
                        // Metrics are for watching the gateway: never a reason for it not to run.
                        LOG.warn("The gateway's meters are not available at /observe/metrics: {}", e.toString(), e);
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Cannot add the gateway's meters: " + e.getMessage(), e);
        }
    }

    static GatewaySettings settingsOf(CamelContext context) {
        return new GatewaySettings(key -> context.getPropertiesComponent().resolveProperty(key), System.getenv());
    }

    /** Runs until stopped; a start-up failure is logged as one line and ends the process with status 1. */
    public void run() {
        try {
            configure().run();
        } catch (Exception | Error e) {
            // An Error too (a class missing from a hand-made class path): left to the thread, it would end main
            // while HiveMQ's threads kept the process running with nothing said.
            LOG.error("Cannot start: {}", StartupProblem.describe(e, main.getCamelContext()));
            closeServicesWithin(FAILED_START_CLOSE_LIMIT);
            silenceShutdownHook(main);
            System.exit(1);
        }
    }

    /**
     * Closes the services, waiting at most {@code limit}: the process ends right after, and the embedded broker's close
     * alone takes 4 s (HiveMQ waits 2 s for each of its Netty thread groups to be quiet) before the error can end it.
     * What is left undone goes with the process; its broker folder is removed by the next start.
     */
    private void closeServicesWithin(Duration limit) {
        Thread closing = new Thread(this::closeServices, "skynet-close-after-failed-start");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * For a process that ends on its own (a failed start, validate, warm-up): Camel Main's JVM shutdown hook would
     * log "JVM shutdown hook triggered by SIGTERM" on the way out, as if someone had stopped the gateway.
     */
    static void silenceShutdownHook(Main main) {
        // Marking the shutdown as done makes the hook find nothing left to do, so it says nothing.
        main.getShutdownStrategy().shutdown();
    }

    void closeServices() {
        if (earlyBroker != null) {
            earlyBroker.discard(); // start-up failed before the services took it over
            earlyBroker = null;
        }
        if (console != null) {
            console.close();
            console = null;
        }
        if (services != null) {
            services.close();
            services = null;
        }
    }

    public Main main() {
        return main;
    }

    /** The operator console, or null before configuration and when validating. */
    public Console console() {
        return console;
    }

    public EmbeddedServices services() {
        return services;
    }
}
