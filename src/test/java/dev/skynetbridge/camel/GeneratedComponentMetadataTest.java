package dev.skynetbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skynetbridge.camel.mqtt.SkynetMqttComponent;
import dev.skynetbridge.camel.mqtt.SkynetMqttConstants;
import dev.skynetbridge.camel.mqtt.SkynetMqttEndpoint;
import dev.skynetbridge.camel.rpc.SkynetRpcComponent;
import dev.skynetbridge.camel.rpc.SkynetRpcConfiguration;
import dev.skynetbridge.camel.rpc.SkynetRpcConstants;
import dev.skynetbridge.camel.rpc.SkynetRpcEndpoint;
import dev.skynetbridge.protocol.Channel;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Component;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What camel-component-maven-plugin generates from the annotations of skynet:, skynet-mqtt: and skynet-rpc:, used
 * the way Camel uses it: the configurers bind URI options (no reflection), the schema is where Camel's tooling looks
 * for it, and it says what the annotations say.
 */
class GeneratedComponentMetadataTest {

    static final Map<String, Class<?>> COMPONENTS = Map.of(
            "skynet", SkynetComponent.class, "skynet-mqtt", SkynetMqttComponent.class,
            "skynet-rpc", SkynetRpcComponent.class);

    static DefaultCamelContext context;

    @BeforeAll
    static void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"skynet", "skynet-mqtt", "skynet-rpc"})
    void theComponentBindsOptionsThroughItsGeneratedConfigurers(String scheme) {
        Component component = context.getComponent(scheme);
        String prefix = COMPONENTS.get(scheme).getName().replace("Component", "");

        assertThat(component).isInstanceOf(COMPONENTS.get(scheme));
        assertThat(component.getEndpointPropertyConfigurer()).isInstanceOf(GeneratedPropertyConfigurer.class)
                .extracting(configurer -> configurer.getClass().getName()).isEqualTo(prefix + "EndpointConfigurer");
        assertThat(component.getComponentPropertyConfigurer()).isInstanceOf(GeneratedPropertyConfigurer.class)
                .extracting(configurer -> configurer.getClass().getName()).isEqualTo(prefix + "ComponentConfigurer");
    }

    @Test
    void skynetOptionsInTheUriAreBound() {
        SkynetEndpoint endpoint = context.getEndpoint("skynet:42?queueSize=5&queueFullPolicy=DROP_NEWEST"
                + "&parseJson=false&bridgeId=b1&reconnectInitialDelay=2s&reconnectMaxDelay=1m&maxFrameSize=4096",
                SkynetEndpoint.class);

        assertThat(endpoint.getQueueSize()).isEqualTo(5);
        assertThat(endpoint.getQueueFullPolicy()).isEqualTo(SkynetEndpoint.QueueFullPolicy.DROP_NEWEST);
        assertThat(endpoint.isParseJson()).isFalse();
        assertThat(endpoint.getBridgeId()).isEqualTo("b1");
        assertThat(endpoint.getReconnectInitialDelay()).isEqualTo(2_000);
        assertThat(endpoint.getReconnectMaxDelay()).isEqualTo(60_000);
        assertThat(endpoint.getMaxFrameSize()).isEqualTo(4096);
    }

    @Test
    void aDurationBindsOnlyThroughTheGeneratedConfigurerNotByReflection() {
        // The option is a long of milliseconds declared as a Duration: the generated configurer converts "2s" to a
        // Duration and takes its milliseconds; reflection would try to turn "2s" into a long and fail.
        SkynetEndpoint bean = new SkynetEndpoint("skynet:1", (SkynetComponent) context.getComponent("skynet"),
                Channel.of(1));
        Map<String, Object> options = new HashMap<>(Map.of("reconnectInitialDelay", "2s"));

        assertThatThrownBy(() -> PropertyBindingSupport.build().withReflection(true).bind(context, bean, options))
                .isInstanceOf(PropertyBindingException.class);
        assertThat(context.getEndpoint("skynet:1?reconnectInitialDelay=2s", SkynetEndpoint.class)
                .getReconnectInitialDelay()).isEqualTo(2_000);
    }

    @Test
    void skynetMqttOptionsInTheUriAreBound() {
        SkynetMqttEndpoint endpoint = context.getEndpoint("skynet-mqtt:b1?brokerUrl=tcp://127.0.0.1:1&qos=2"
                + "&retain=true&payloadFormat=cbor&inboundFormat=text&topicPrefix=home/cc&channel=7&maxHops=3"
                + "&bufferSize=50&username=u&password=p&clientId=c1&reconnectInitialDelay=500ms"
                + "&reconnectMaxDelay=20s&keepAlive=60", SkynetMqttEndpoint.class);

        assertThat(endpoint.getQos()).isEqualTo(2);
        assertThat(endpoint.isRetain()).isTrue();
        assertThat(endpoint.getPayloadFormat()).isEqualTo("cbor");
        assertThat(endpoint.getInboundFormat()).isEqualTo("text");
        assertThat(endpoint.getTopicPrefix()).isEqualTo("home/cc");
        assertThat(endpoint.getChannel()).isEqualTo("7");
        assertThat(endpoint.getMaxHops()).isEqualTo(3);
        assertThat(endpoint.getBufferSize()).isEqualTo(50);
        assertThat(endpoint.getUsername()).isEqualTo("u");
        assertThat(endpoint.getPassword()).isEqualTo("p");
        assertThat(endpoint.getClientId()).isEqualTo("c1");
        assertThat(endpoint.getReconnectInitialDelay()).isEqualTo(500);
        assertThat(endpoint.getReconnectMaxDelay()).isEqualTo(20_000);
        assertThat(endpoint.getKeepAlive()).isEqualTo(60);
    }

    @Test
    void skynetRpcOptionsInTheUriAreBoundIntoItsConfiguration() {
        SkynetRpcConfiguration configuration = context.getEndpoint("skynet-rpc:Echo.Upcase"
                + "?address=127.0.0.1:1,127.0.0.1:2&timeout=5s&connectTimeout=1500&reconnectInitialDelay=100ms"
                + "&reconnectMaxDelay=1m&stableConnectionPeriod=0&poolSize=3&maxInFlight=8&maxDocumentSize=65536"
                + "&host=127.0.0.1&port=9100&methods=Upcase,Echo&registered=false&maxConnections=4",
                SkynetRpcEndpoint.class).getConfiguration();

        assertThat(configuration.addressList()).hasSize(2);
        assertThat(configuration.getTimeout()).isEqualTo(5_000);
        assertThat(configuration.getConnectTimeout()).isEqualTo(1_500);
        assertThat(configuration.getReconnectInitialDelay()).isEqualTo(100);
        assertThat(configuration.getReconnectMaxDelay()).isEqualTo(60_000);
        assertThat(configuration.getStableConnectionPeriod()).isZero();
        assertThat(configuration.getPoolSize()).isEqualTo(3);
        assertThat(configuration.getMaxInFlight()).isEqualTo(8);
        assertThat(configuration.getMaxDocumentSize()).isEqualTo(65_536);
        assertThat(configuration.getHost()).isEqualTo("127.0.0.1");
        assertThat(configuration.getPort()).isEqualTo(9100);
        assertThat(configuration.methodSet()).containsExactly("Upcase", "Echo");
        assertThat(configuration.isRegistered()).isFalse();
        assertThat(configuration.getMaxConnections()).isEqualTo(4);
    }

    @Test
    void aValueOfTheWrongTypeOrOutOfRangeFailsNamingTheOption() {
        assertThatThrownBy(() -> context.getEndpoint("skynet:42?queueFullPolicy=DROP_ALL"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Error binding property (queueFullPolicy=DROP_ALL)");
        assertThatThrownBy(() -> context.getEndpoint("skynet:42?protocol=v3"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("skynet:42: protocol must be v1 or v2, got 'v3'");
        assertThatThrownBy(() -> context.getEndpoint("skynet-mqtt:b1?brokerUrl=tcp://127.0.0.1:1&retain=maybe"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Error binding property (retain=maybe)");
        assertThatThrownBy(() -> context.getEndpoint("skynet-rpc:Echo.Upcase?address=127.0.0.1:1&poolSize=0"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage("poolSize must be positive but is 0");
    }

    @Test
    void textThatIsNoNumberFailsInsteadOfBecomingZero() {
        // Camel's generated configurers read whole numbers as times, and 8O80 (a letter O) or 1.5 as 0.
        assertThatThrownBy(() -> context.getEndpoint("skynet-rpc:Echo?port=8O80"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage("skynet-rpc:Echo: option port is '8O80', which is not a whole number (times may"
                                     + " also be written 5s, 250ms, 1m30s)");
        assertThatThrownBy(() -> context.getEndpoint("skynet-mqtt:b1?brokerUrl=tcp://127.0.0.1:1&qos=l"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessageContaining("skynet-mqtt:b1: option qos is 'l'");
        assertThatThrownBy(() -> context.getEndpoint("skynet:42?pendingSendLimit=1.5"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessageContaining("skynet:42: option pendingSendLimit is '1.5'");
        assertThatThrownBy(() -> context.getEndpoint("skynet-rpc:Echo.Upcase?address=127.0.0.1:1&timeout=soon"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessageContaining("skynet-rpc:Echo.Upcase: option timeout is 'soon'");
        assertThatThrownBy(() -> context.getEndpoint("skynet:42?queueSize=many"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessageContaining("skynet:42: option queueSize is 'many'");
        assertThat(context.getEndpoint("skynet:42?queueSize=0012", SkynetEndpoint.class).getQueueSize()).isEqualTo(12);
        assertThat(context.getEndpoint("skynet:42?reconnectMaxDelay=PT45S", SkynetEndpoint.class)
                .getReconnectMaxDelay()).isEqualTo(45_000);
    }

    @Test
    void anUnknownOptionFailsNamingIt() {
        assertThatThrownBy(() -> context.getEndpoint("skynet:42?queueSzie=5"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Unknown parameters=[{queueSzie=5}]");
        assertThatThrownBy(() -> context.getEndpoint("skynet-mqtt:b1?brokerUrl=tcp://127.0.0.1:1&topicPrefx=x"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Unknown parameters=[{topicPrefx=x}]");
        assertThatThrownBy(() -> context.getEndpoint("skynet-rpc:Echo.Upcase?address=127.0.0.1:1&timout=5"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Unknown parameters=[{timout=5}]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"skynet", "skynet-mqtt", "skynet-rpc"})
    void theSchemaIsWhereCamelToolingLooksAndTheConfigurerBindsEveryOptionInIt(String scheme) throws Exception {
        JsonNode schema = schema(scheme);
        Set<String> inSchema = new TreeSet<>();
        schema.get("properties").properties().forEach(option -> {
            if (!"path".equals(option.getValue().get("kind").asText())) {
                inSchema.add(option.getKey());
            }
        });
        Component component = context.getComponent(scheme);
        PropertyConfigurerGetter configurer = (PropertyConfigurerGetter) component.getEndpointPropertyConfigurer();

        assertThat(schema.at("/component/scheme").asText()).isEqualTo(scheme);
        assertThat(schema.at("/component/javaType").asText()).isEqualTo(COMPONENTS.get(scheme).getName());
        assertThat(inSchema).allSatisfy(option -> assertThat(configurer.getOptionType(option, false))
                .as("type of %s in the generated configurer", option).isNotNull());
        assertThat(configurer.getOptionType("noSuchOption", true)).isNull();
    }

    @Test
    void theSchemaSaysWhatTheAnnotationsSay() throws Exception {
        // The generator silently drops characters it does not like (quotes, asterisks, anything in angle brackets):
        // a description written with them would reach Kaoto and docs/components/ mangled.
        Map<String, String> problems = new LinkedHashMap<>();
        compareOptions("skynet", SkynetEndpoint.class, problems);
        compareOptions("skynet-mqtt", SkynetMqttEndpoint.class, problems);
        compareOptions("skynet-rpc", SkynetRpcEndpoint.class, problems);
        compareOptions("skynet-rpc", SkynetRpcConfiguration.class, problems);
        compareHeaders("skynet", SkynetConstants.class, problems);
        compareHeaders("skynet-mqtt", SkynetMqttConstants.class, problems);
        compareHeaders("skynet-rpc", SkynetRpcConstants.class, problems);

        assertThat(problems).isEmpty();
        assertThat(schema("skynet-mqtt").at("/properties/password/secret").asBoolean()).isTrue();
        assertThat(schema("skynet-mqtt").at("/properties/username/secret").asBoolean()).isTrue();
        assertThat(schema("skynet").at("/properties/queueFullPolicy/enum").toString())
                .isEqualTo("[\"DROP_OLDEST\",\"DROP_NEWEST\"]");
    }

    private static void compareOptions(String scheme, Class<?> type, Map<String, String> problems) throws Exception {
        JsonNode options = schema(scheme).get("properties");
        for (Field field : type.getDeclaredFields()) {
            UriParam param = field.getAnnotation(UriParam.class);
            UriPath path = field.getAnnotation(UriPath.class);
            String declared = param != null ? param.description() : path != null ? path.description() : null;
            if (declared != null && !declared.isEmpty()) {
                expectSame(scheme + " option " + field.getName(), declared, options.path(field.getName()), problems);
            }
        }
    }

    private static void compareHeaders(String scheme, Class<?> constants, Map<String, String> problems)
            throws Exception {
        JsonNode headers = schema(scheme).get("headers");
        for (Field field : constants.getDeclaredFields()) {
            if (field.isAnnotationPresent(Metadata.class)) {
                String header = (String) field.get(null);
                expectSame(scheme + " header " + header, field.getAnnotation(Metadata.class).description(),
                        headers.path(header), problems);
            }
        }
    }

    private static void expectSame(String what, String declared, JsonNode option, Map<String, String> problems) {
        String inSchema = option.path("description").asText(null);
        if (!declared.equals(inSchema)) {
            problems.put(what, "declared: " + declared + "\n    schema: " + inSchema);
        }
    }

    private static JsonNode schema(String scheme) throws Exception {
        String json = context.getComponentParameterJsonSchema(scheme);
        assertThat(json).as("schema of %s on the classpath", scheme).isNotNull();
        return new ObjectMapper().readTree(json);
    }
}
