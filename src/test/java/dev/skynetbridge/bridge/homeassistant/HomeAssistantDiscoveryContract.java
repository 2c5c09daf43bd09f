package dev.skynetbridge.bridge.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skynetbridge.mqtt.ChannelTopicMapping;
import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.server.SkynetHub;
import dev.skynetbridge.testsupport.GatewayUnderTest;
import dev.skynetbridge.testsupport.MqttTestClient;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Home Assistant discovery end to end, run against every real broker (one subclass each): the whole gateway with the
 * shipped {@code routes/mqtt-bridge.yaml} and the shipped example {@code config/examples/homeassistant.yaml}, a real
 * MQTT client in Home Assistant's place and real v2 websocket clients as the ComputerCraft computers. The last tests
 * restart and stop the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HomeAssistantDiscoveryContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofMillis(1000);
    static final String PREFIX = "homeassistant";
    static final String STATUS = "skynet/status";
    static final ChannelTopicMapping BRIDGE_TOPICS = new ChannelTopicMapping("skynet");
    /** The example's 5 entities and the gateway's own connection entity. */
    static final int CONFIGS = 6;
    static final String LIGHTS_CONFIG = PREFIX + "/switch/skynet_default_base-door/lights/config";
    static final ObjectMapper JSON = new ObjectMapper();

    protected Vertx vertx;
    protected GatewayUnderTest gateway;
    protected Path workDir;
    protected Path haFile;
    protected Path stateFile;

    /** Starts the broker (if outside the gateway) and {@link #gateway} via {@link #startGateway}. */
    protected abstract void startBrokerAndGateway() throws Exception;

    /** The gateway's settings for this broker, beyond the Home Assistant ones. */
    protected abstract Map<String, String> brokerSettings();

    protected abstract String brokerUri();

    protected abstract void closeBroker() throws Exception;

    @BeforeAll
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        workDir = Files.createTempDirectory("skynet-ha-test");
        haFile = workDir.resolve("homeassistant.yaml");
        stateFile = workDir.resolve("data/published.json");
        Files.copy(Path.of("config/examples/homeassistant.yaml"), haFile);
        startBrokerAndGateway();
        awaitFirstPublication();
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
            closeBroker();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (var paths = Files.walk(workDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    void startGateway() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(brokerSettings());
        settings.put("skynet.homeassistant.file", haFile.toString());
        settings.put("skynet.homeassistant.state-file", stateFile.toString());
        gateway = GatewayUnderTest.start(Map.of("mqtt-bridge", Files.readString(Path.of("routes/mqtt-bridge.yaml"))),
                settings);
    }

    HomeAssistantDiscovery discovery() {
        return gateway.context().hasService(HomeAssistantDiscovery.class);
    }

    void awaitFirstPublication() {
        await("the broker has every discovery config").atMost(WAIT).until(() -> discovery() != null
                && discovery().firstPublication().isDone());
        assertThat(discovery().firstPublication()).isCompleted();
    }

    @Test
    @Order(1)
    void theRetainedConfigsMeetHomeAssistantsRequirements() throws Exception {
        Map<String, String> configs = retained(PREFIX + "/+/+/+/config", CONFIGS);
        assertThat(configs).hasSize(CONFIGS);
        String status = retained(STATUS, 1).get(STATUS);
        assertThat(status).as("the bridge's status").isEqualTo("online");
        assertThat(HaDiscoveryRequirements.problems(configs, PREFIX, BRIDGE_TOPICS, STATUS, status)).isEmpty();

        JsonNode temperature = JSON.readTree(configs.get(PREFIX + "/sensor/skynet_default_reactor/core_temp/config"));
        assertThat(temperature.get("state_topic").asText()).isEqualTo("skynet/n/42");
        assertThat(temperature.get("unique_id").asText()).isEqualTo("skynet_default_reactor_core_temp");
        assertThat(temperature.get("default_entity_id").asText()).isEqualTo("sensor.reactor_core_temp");
        assertThat(temperature.get("value_template").asText()).isEqualTo("{{ value_json.temp }}");
        assertThat(temperature.get("unit_of_measurement").asText()).isEqualTo("°C");
        assertThat(temperature.at("/device/identifiers/0").asText()).isEqualTo("skynet_default_reactor");
        assertThat(temperature.at("/device/manufacturer").asText()).isEqualTo("skynet-bridge");
        assertThat(temperature.at("/device/model").asText()).isEqualTo("Advanced Computer");
        assertThat(temperature.at("/device/via_device").asText()).isEqualTo("skynet_default");
        JsonNode lights = JSON.readTree(configs.get(LIGHTS_CONFIG));
        assertThat(lights.get("state_topic").asText()).isEqualTo("skynet/s/lights");
        assertThat(lights.get("command_topic").asText()).isEqualTo("skynet/s/lights_cmd");
        assertThat(Files.readString(stateFile)).as("what was published is remembered").contains(LIGHTS_CONFIG);
    }

    @Test
    @Order(2)
    void aTemperatureTableSentOnChannel42ArrivesOnTheSensorsStateTopic() throws Exception {
        String stateTopic = JSON.readTree(config(PREFIX + "/sensor/skynet_default_reactor/core_temp/config"))
                .get("state_topic").asText();
        try (MqttTestClient homeAssistant = MqttTestClient.connect(brokerUri());
             RawWebSocket reactor = skynetClient()) {
            homeAssistant.subscribe(stateTopic);
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("temp", 812.5);
            table.put("fuel", 64L);
            reactor.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(42), table)));
            MqttTestClient.Received state = homeAssistant.poll(WAIT);
            assertThat(state).as("a message on " + stateTopic).isNotNull();
            JsonNode value = JSON.readTree(state.payload());
            assertThat(value.get("temp").asDouble()).as("value_json.temp").isEqualTo(812.5);
            assertThat(value.get("fuel").asLong()).isEqualTo(64L);
        }
    }

    @Test
    @Order(3)
    void pressingTheButtonSendsOpenToTheDoorComputer() throws Exception {
        JsonNode button = JSON.readTree(config(PREFIX + "/button/skynet_default_base-door/door/config"));
        try (MqttTestClient homeAssistant = MqttTestClient.connect(brokerUri());
             RawWebSocket door = skynetClient()) {
            door.sendBinary(V2Codec.encodeOpen(Channel.of("door")));
            await().atMost(WAIT).until(() -> hub().subscriberCount(Channel.of("door")) == 1);
            // What Home Assistant publishes when the button is pressed.
            homeAssistant.publish(button.get("command_topic").asText(), button.get("payload_press").asText(), Map.of());
            SkynetMessage pressed = push(door);
            assertThat(pressed.channel()).isEqualTo(Channel.of("door"));
            assertThat(pressed.payload()).as("arrives in Lua as the string \"open\"").isEqualTo("open");
        }
    }

    @Test
    @Order(4)
    void homeAssistantsBirthMessageMakesTheGatewayPublishEveryConfigAgain() throws Exception {
        try (MqttTestClient homeAssistant = MqttTestClient.connect(brokerUri())) {
            homeAssistant.subscribe(PREFIX + "/+/+/+/config");
            Map<String, String> retainedOnes = collect(homeAssistant, CONFIGS);
            assertThat(retainedOnes).hasSize(CONFIGS);
            long before = discovery().republishCount();

            homeAssistant.publish(PREFIX + "/status", "online", Map.of());
            Map<String, String> again = collect(homeAssistant, CONFIGS);
            assertThat(again).as("every config once more").isEqualTo(retainedOnes);
            assertThat(discovery().republishCount()).isEqualTo(before + 1);
            assertThat(homeAssistant.poll(QUIET)).as("once").isNull();

            homeAssistant.publish(PREFIX + "/status", "offline", Map.of());
            assertThat(homeAssistant.poll(Duration.ofMillis(HomeAssistantDiscovery.REPUBLISH_DELAY_MS + 1000)))
                    .as("offline asks for nothing").isNull();
        }
    }

    @Test
    @Order(5)
    void anEntityRemovedFromTheFileIsDeletedFromHomeAssistantOnTheNextStart() throws Exception {
        String withoutLights = Files.readString(haFile);
        int cut = withoutLights.indexOf("      - id: lights");
        assertThat(cut).isPositive();
        Files.writeString(haFile, withoutLights.substring(0, cut));

        gateway.close();
        gateway = null;
        restartForRemoval();
        awaitFirstPublication();

        Map<String, String> configs = retained(PREFIX + "/+/+/+/config", CONFIGS - 1);
        assertThat(configs).hasSize(CONFIGS - 1).doesNotContainKey(LIGHTS_CONFIG);
        assertThat(Files.readString(stateFile)).as("deleted, so forgotten").doesNotContain(LIGHTS_CONFIG)
                .contains(PREFIX + "/button/skynet_default_base-door/door/config");
        assertThat(((dev.skynetbridge.camel.mqtt.SkynetMqttConsumer) gateway.context().getRoute("default-from-mqtt")
                .getConsumer()).getRejectedCount())
                .as("the bridge's retained status from the last run is not taken for a channel").isZero();
    }

    /** Starts the gateway again on the same broker (and its retained messages) with the changed file. */
    protected void restartForRemoval() throws Exception {
        startGateway();
    }

    @Test
    @Order(6)
    void stoppingTheGatewayLeavesOfflineRetained() throws Exception {
        assertStopLeavesOfflineRetained();
    }

    protected abstract void assertStopLeavesOfflineRetained() throws Exception;

    // --- helpers ---

    String config(String topic) throws Exception {
        return retained(topic, 1).get(topic);
    }

    /** The retained messages under a filter: waits for {@code expected}, then watches a quiet second for more. */
    Map<String, String> retained(String filter, int expected) throws Exception {
        try (MqttTestClient client = MqttTestClient.connect(brokerUri())) {
            client.subscribe(filter);
            return collect(client, expected);
        }
    }

    static Map<String, String> collect(MqttTestClient client, int expected) throws Exception {
        Map<String, String> messages = new LinkedHashMap<>();
        await().atMost(WAIT).until(() -> {
            MqttTestClient.Received next;
            while ((next = client.poll(Duration.ofMillis(50))) != null) {
                messages.put(next.topic(), next.payloadText());
            }
            return messages.size() >= expected;
        });
        MqttTestClient.Received more;
        while ((more = client.poll(QUIET)) != null) {
            messages.put(more.topic(), more.payloadText());
        }
        return messages;
    }

    RawWebSocket skynetClient() {
        return RawWebSocket.connect(vertx, gateway.skynetPort(), "/connect/");
    }

    SkynetHub hub() {
        return gateway.context().getRegistry().findSingleByType(SkynetHub.class);
    }

    static SkynetMessage push(RawWebSocket client) throws Exception {
        return ((V2ServerFrame.Push) V2Codec.decodeServerFrame(client.next().bytes())).message();
    }
}
