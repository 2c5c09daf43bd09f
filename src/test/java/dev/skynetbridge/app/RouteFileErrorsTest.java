package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken route or settings file gives one line naming the file, the line and the problem. */
class RouteFileErrorsTest {

    @TempDir
    Path routes;

    record Outcome(int status, String out, String err) {
    }

    Outcome validate(String yaml) throws Exception {
        Files.writeString(routes.resolve("bridge.yaml"), yaml);
        return validate();
    }

    Outcome validate() {
        return validateFolder(routes.toString(), Map.of());
    }

    /** The validate command on one routes folder, with extra configuration. */
    static Outcome validateFolder(String folder, Map<String, String> settings) {
        Properties overrides = new Properties();
        overrides.setProperty("skynet.routes.dir", folder);
        overrides.setProperty("skynet.server.host", "127.0.0.1");
        settings.forEach(overrides::setProperty);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ConfigurationValidator(overrides).run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String file() {
        return routes.resolve("bridge.yaml").toString();
    }

    @Test
    void validRoutesPassWithoutStartingTheServer() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Files.writeString(routes.resolve("ok.yaml"), """
                    - route:
                        from:
                          uri: "skynet:1"
                          steps:
                            - to: "log:x"
                    """);
            System.setProperty("skynet.server.port", String.valueOf(taken.getLocalPort()));
            Outcome outcome = validate();
            assertThat(outcome.err()).isEmpty();
            assertThat(outcome.status()).isZero();
            assertThat(outcome.out()).startsWith("OK: ").contains("1 routes are valid");
        } finally {
            System.clearProperty("skynet.server.port");
        }
    }

    @Test
    void theShippedRoutesFolderIsValid() {
        Outcome outcome = validateFolder("routes", Map.of());
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.status()).isZero();
    }

    @Test
    void yamlSyntaxError() throws Exception {
        Outcome outcome = validate("""
                - route:
                    from:
                      uri: "skynet:1"
                      steps:
                    - to: [unclosed
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err().lines()).hasSize(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":5: ").contains("expected");
    }

    @Test
    void unknownField() throws Exception {
        Outcome outcome = validate("""
                - route:
                    from:
                      uri: "skynet:1"
                      stepz:
                        - to: "log:x"
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).contains(file() + ":5: Unsupported field: stepz");
    }

    @Test
    void unknownComponent() throws Exception {
        Outcome outcome = validate("""
                - route:
                    id: relay
                    from:
                      uri: "skynet:1"
                      steps:
                        - log: "first"
                        - to: "nosuch:thing"
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err().lines()).hasSize(1);
        assertThat(outcome.err()).contains(file() + ":7: route relay: ").contains("nosuch://thing")
                .contains("is the component name spelt right");
    }

    @Test
    void unknownOption() throws Exception {
        Outcome outcome = validate("""
                - route:
                    id: relay
                    from:
                      uri: "skynet:1?bogus=1"
                      steps:
                        - to: "log:x"
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).contains(file() + ":4: route relay: endpoint skynet://1?bogus=1")
                .contains("bogus");
    }

    @Test
    void placeholderWithoutValueNamesTheFileTheLineAndWhereToSetIt() throws Exception {
        Outcome outcome = validate("""
                - route:
                    id: relay
                    from:
                      uri: "skynet:{{my.furnace.channel}}"
                      steps:
                        - to: "log:x"
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).contains(file() + ":4: the placeholder {{my.furnace.channel}} has no value")
                .contains("config/application.properties").contains("MY_FURNACE_CHANNEL");
    }

    @Test
    void everyShippedExampleValidatesWithoutTheBrokersItUses() {
        // The examples need only the webhook token; the MQTT, Kafka and Go services they name are not running
        // here, and validate must not connect to any of them.
        Outcome outcome = validateFolder("routes/examples", Map.of("webhook.alerts.token", "test-token"));
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.status()).isZero();
        assertThat(outcome.out()).startsWith("OK: ");
    }

    /** A skynet-source route into the archive Kamelet, with the given lines under the source's parameters. */
    static String sourceWith(String sourceParameters) {
        return """
                - route:
                    id: archive
                    from:
                      uri: kamelet:skynet-source
                      parameters:
                %s      steps:
                        - to:
                            uri: kamelet:skynet-kafka-archive-sink
                            parameters:
                              topic: skynet
                """.formatted(sourceParameters);
    }

    @Test
    void missingRequiredKameletParameter() throws Exception {
        Outcome outcome = validate("""
                - route:
                    id: archive
                    from:
                      uri: kamelet:skynet-source
                      steps:
                        - to:
                            uri: kamelet:skynet-kafka-archive-sink
                            parameters:
                              format: json
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err().lines()).hasSize(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":7: kamelet:skynet-kafka-archive-sink: missing"
                + " required parameter 'topic' (Topic)");
    }

    @Test
    void unknownKameletParameterNamesTheNearestKnownOne() throws Exception {
        Outcome outcome = validate(sourceWith("""
                        chanel: 42
                """));
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err().lines()).hasSize(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":6: kamelet:skynet-source: unknown parameter"
                + " 'chanel' (did you mean 'channel'?)");
    }

    @Test
    void kameletParameterThatIsNotAWholeNumber() throws Exception {
        Outcome outcome = validate(sourceWith("""
                        channel: 42
                        queueSize: abc
                """));
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":7: kamelet:skynet-source: queueSize is 'abc';"
                + " expected a whole number");
    }

    @Test
    void kameletParameterOutsideItsEnum() throws Exception {
        Outcome outcome = validate(sourceWith("""
                        queueFullPolicy: DROP_ALL
                """));
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":6: kamelet:skynet-source: queueFullPolicy is"
                + " 'DROP_ALL'; expected one of DROP_OLDEST, DROP_NEWEST");
    }

    @Test
    void kameletParametersInTheUriAndOfASinkAreCheckedToo() throws Exception {
        Outcome format = validate("""
                - route:
                    from:
                      uri: "kamelet:skynet-source?channel=42"
                      steps:
                        - to: "kamelet:skynet-kafka-archive-sink?topic=t&format=avro"
                """);
        assertThat(format.status()).isEqualTo(1);
        assertThat(format.err()).startsWith("INVALID: " + file() + ":5: kamelet:skynet-kafka-archive-sink: format is"
                + " 'avro'; expected one of cbor, json");

        Outcome flag = validate("""
                - route:
                    from:
                      uri: "timer:tick"
                      steps:
                        - to:
                            uri: kamelet:skynet-sink
                            parameters:
                              channel: 42
                              parseJson: "yes"
                """);
        assertThat(flag.err()).startsWith("INVALID: " + file() + ":9: kamelet:skynet-sink: parseJson is 'yes';"
                + " expected true or false");
    }

    @Test
    void aPlaceholderIsCheckedWithItsValue() throws Exception {
        Outcome outcome = validateFolder(writeRoutes(sourceWith("""
                        queueSize: "{{my.queue}}"
                """)), Map.of("my.queue", "lots"));
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":6: kamelet:skynet-source: queueSize is 'lots';"
                + " expected a whole number");
        Outcome fixed = validateFolder(routes.toString(), Map.of("my.queue", "20"));
        assertThat(fixed.err()).isEmpty();
        assertThat(fixed.status()).isZero();
    }

    @Test
    void anUnknownKameletNamesTheNearestShippedOne() throws Exception {
        Outcome outcome = validate("""
                - route:
                    from:
                      uri: "kamelet:skynet-sorce"
                      steps:
                        - to: "log:x"
                """);
        assertThat(outcome.status()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("INVALID: " + file() + ":3: kamelet:skynet-sorce: no such Kamelet"
                + " (did you mean 'skynet-source'?)");
    }

    String writeRoutes(String yaml) throws Exception {
        Files.writeString(routes.resolve("bridge.yaml"), yaml);
        return routes.toString();
    }

    @Test
    void unknownSettingNamesTheLineAndTheNearestKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "# comment\nskynet.server.port = 3030\nskynet.sever.host = 0.0.0.0\n");
        assertThatThrownBy(() -> SettingsFileCheck.check(config))
                .hasMessage(config + ":3: unknown setting 'skynet.sever.host' (did you mean 'skynet.server.host'?);"
                        + " the settings are listed in docs/settings.md");
    }

    @Test
    void badSettingValuesNameTheSettingAndItsVariable() {
        GatewaySettings settings = new GatewaySettings(key -> java.util.Optional.empty(),
                java.util.Map.of("SKYNET_SERVER_PORT", "30x30"));
        assertThatThrownBy(settings::serverOptions)
                .hasMessageContaining("skynet.server.port (env SKYNET_SERVER_PORT) is '30x30'; expected a whole number");
    }
}
