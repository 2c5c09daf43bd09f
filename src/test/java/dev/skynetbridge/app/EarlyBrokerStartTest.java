package dev.skynetbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.testsupport.FreePorts;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker started before Camel: taken over by the gateway's services when the settings agree, stopped
 * (its port free again) when they ask for something else. Real HiveMQ on free ports.
 */
class EarlyBrokerStartTest {

    @TempDir
    Path folder;

    @Test
    void theServicesTakeOverTheBrokerStartedEarlyWithTheSameSettings() throws Exception {
        List<Integer> ports = FreePorts.pick(2);
        Path config = writeConfig(ports.get(0), ports.get(1));
        EarlyBrokerStart early = EarlyBrokerStart.begin(config);
        assertThat(early).as("the shipped-style file asks for the embedded broker").isNotNull();
        EmbeddedServices services = EmbeddedServices.start(settings(config), early);
        try {
            services.awaitBackgroundStarts();
            assertThat(services.mqttBroker()).isSameAs(early.broker());
            assertThat(services.mqttBroker().isRunning()).isTrue();
            assertThat(services.mqttBrokerUrl()).endsWith(":" + ports.get(1));
        } finally {
            services.close();
        }
        assertThat(portFree(ports.get(1))).as("stopped with the services").isTrue();
    }

    @Test
    void otherSettingsStopTheEarlyBrokerAndStartTheirOwn() throws Exception {
        List<Integer> ports = FreePorts.pick(3);
        Path config = writeConfig(ports.get(0), ports.get(1));
        EarlyBrokerStart early = EarlyBrokerStart.begin(config);
        assertThat(early).isNotNull();
        // What Camel resolves may differ from the plain file (an override, a placeholder): another port here.
        Properties resolved = load(config);
        resolved.setProperty(GatewaySettings.MQTT_EMBEDDED_PORT.key(), String.valueOf(ports.get(2)));
        EmbeddedServices services = EmbeddedServices.start(
                new GatewaySettings(key -> Optional.ofNullable(resolved.getProperty(key)), Map.of()), early);
        try {
            services.awaitBackgroundStarts();
            assertThat(services.mqttBroker()).isNotSameAs(early.broker());
            assertThat(services.mqttBrokerUrl()).endsWith(":" + ports.get(2));
            assertThat(early.broker().isRunning()).isFalse();
            assertThat(portFree(ports.get(1))).as("the early broker's port").isTrue();
        } finally {
            services.close();
        }
    }

    @Test
    void noEarlyStartWhenTheFileAsksForAnExternalBrokerOrAPlaceholder() throws Exception {
        List<Integer> ports = FreePorts.pick(2);
        Path external = writeConfig(ports.get(0), ports.get(1), "skynet.mqtt.url = tcp://127.0.0.1:" + ports.get(1));
        assertThat(EarlyBrokerStart.begin(external)).isNull();
        Path placeholder = writeConfig(ports.get(0), ports.get(1),
                "skynet.mqtt.embedded.host = {{env:SOME_HOST:127.0.0.1}}");
        assertThat(EarlyBrokerStart.begin(placeholder)).isNull();
    }

    private Path writeConfig(int skynetPort, int mqttPort, String... more) throws IOException {
        Path file = Files.createTempFile(folder, "application", ".properties");
        StringBuilder text = new StringBuilder()
                .append("skynet.server.host = 127.0.0.1\n")
                .append("skynet.server.port = ").append(skynetPort).append('\n')
                .append("skynet.mqtt.embedded.host = 127.0.0.1\n")
                .append("skynet.mqtt.embedded.port = ").append(mqttPort).append('\n');
        for (String line : more) {
            text.append(line).append('\n');
        }
        Files.writeString(file, text);
        return file;
    }

    private static GatewaySettings settings(Path config) throws IOException {
        Properties file = load(config);
        return new GatewaySettings(key -> Optional.ofNullable(file.getProperty(key)), Map.of());
    }

    private static Properties load(Path config) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(config)) {
            file.load(reader);
        }
        return file;
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
