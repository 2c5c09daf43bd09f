package dev.skynetbridge.bridge.mqtt;

import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * The bidirectional MQTT bridge, used from {@code routes/*.yaml} with {@code templatedRoute}:
 * {@code skynet-mqtt-bridge} creates both directions from one definition, Skynet to MQTT and MQTT
 * to Skynet, with every loop guard. (One direction each: the Kamelets {@code skynet-mqtt-sink} and
 * {@code skynet-mqtt-source}.)
 *
 * <p>It is a Java route template, not a Kamelet, because a Kamelet (like any route template)
 * creates one route and the bridge is two (two consumers) that must share their parameters: one
 * bridge id, one broker, one set of credentials. {@code skynet-mqtt-bridge} is the Skynet to MQTT
 * route plus a hook that creates the MQTT to Skynet route, named {@code <bridgeId>-from-mqtt}, from
 * the same parameters (internal template {@value #FROM_MQTT}). The routes themselves are two lines
 * each: the {@code skynet-mqtt:} endpoint does the mapping. Why this and not a Kamelet pair:
 * docs/bridges/skynet-mqtt-bridge.md.
 */
public final class SkynetMqttBridgeTemplates extends RouteBuilder {

    public static final String BRIDGE = "skynet-mqtt-bridge";
    /** The bridge's second route; not for route files (use the skynet-mqtt-source Kamelet for one direction). */
    static final String FROM_MQTT = "skynet-mqtt-bridge-from-mqtt";

    /** The gateway's MQTT broker: the external one configured, or the embedded one (set by the app). */
    public static final String EFFECTIVE_URL_PROPERTY = "skynet.mqtt.effective-url";
    /** The gateway's default topic prefix (setting skynet.mqtt.topic-prefix, published by the app). */
    static final String GATEWAY_TOPIC_PREFIX_PROPERTY = "skynet.mqtt.topic-prefix";

    private static final String MQTT_ENDPOINT = "skynet-mqtt:{{bridgeId}}?brokerUrl=RAW({{brokerUrl}})"
            + "&topicPrefix=RAW({{topicPrefix}})&channel=RAW({{channel}})&qos={{qos}}&retain={{retain}}"
            + "&payloadFormat={{payloadFormat}}&inboundFormat={{inboundFormat}}&bufferSize={{bufferSize}}"
            + "&maxHops={{maxHops}}&username=RAW({{username}})&password=RAW({{password}})"
            + "&statusTopic={{?statusTopic}}&statusOnline={{statusOnline}}&statusOffline={{statusOffline}}"
            + "&sharedSubscription={{sharedSubscription}}";
    /** true in a cluster (skynet.cluster.nats-url set), published by the app. */
    public static final String SHARED_SUBSCRIPTION_PROPERTY = "skynet.mqtt.shared-subscription";

    @Override
    public void configure() {
        parameters(routeTemplate(FROM_MQTT))
                .description("The MQTT to Skynet route of a skynet-mqtt-bridge (created by it)")
                .from(MQTT_ENDPOINT)
                .to("skynet:*?bridgeId={{bridgeId}}&parseJson=false");

        parameters(routeTemplate(BRIDGE))
                .configure(SkynetMqttBridgeTemplates::addMqttToSkynetRoute)
                .description("Bidirectional Skynet <-> MQTT bridge: creates the Skynet to MQTT route and the"
                             + " <bridgeId>-from-mqtt route")
                .from("skynet:{{channel}}?bridgeId={{bridgeId}}")
                .to(MQTT_ENDPOINT);
    }

    private static RouteTemplateDefinition parameters(RouteTemplateDefinition template) {
        return template
                .templateParameter("bridgeId", "mqtt", "Names the bridge; give each bridge its own. Its endpoints share"
                        + " one Skynet participant and one MQTT connection, so it never receives what it sent.")
                .templateParameter("brokerUrl", "{{" + EFFECTIVE_URL_PROPERTY + "}}",
                        "tcp://host:1883 (ssl://, ws://, wss://); default: the gateway's broker (skynet.mqtt.url,"
                        + " or the embedded one)")
                .templateParameter("topicPrefix", "{{" + GATEWAY_TOPIC_PREFIX_PROPERTY + "}}",
                        "Topic levels before the channel: <prefix>/n/<number>, <prefix>/s/<name>; default: the gateway's"
                        + " skynet.mqtt.topic-prefix (skynet)")
                .templateParameter("channel", "*", "The Skynet channel to bridge (42, foo, s:42); * for every channel")
                .templateParameter("qos", "1", "MQTT QoS 0, 1 or 2")
                .templateParameter("retain", "false", "Publish retained messages")
                .templateParameter("payloadFormat", "json", "MQTT body from Skynet: json or cbor")
                .templateParameter("inboundFormat", "json", "Skynet payload from MQTT: json, text, bytes or cbor")
                .templateParameter("bufferSize", "10000",
                        "Messages held while the broker is down; beyond it the oldest are dropped and counted")
                .templateParameter("maxHops", "8", "Most bridges a message may cross (loop guard across gateways)")
                .templateParameter("username", "", "Broker user name")
                .templateParameter("password", "", "Broker password")
                .templateOptionalParameter("statusTopic", "Availability topic (retained online/offline, last will);"
                        + " default: the topic prefix followed by /status")
                .templateParameter("statusOnline", "online", "Payload on the status topic while connected")
                .templateParameter("statusOffline", "offline", "Payload on the status topic when the bridge is gone")
                .templateParameter("sharedSubscription", "{{" + SHARED_SUBSCRIPTION_PROPERTY + "}}",
                        "Subscribe as one member of $share/skynet-<bridgeId>/... so that each MQTT message enters"
                        + " Skynet once in a cluster; default: true when skynet.cluster.nats-url is set");
    }

    /** The second route of the bidirectional bridge, from the same parameters. */
    private static void addMqttToSkynetRoute(RouteTemplateContext template) {
        CamelContext context = template.getCamelContext();
        Map<String, Object> parameters = new java.util.HashMap<>(template.getParameters());
        String routeId = parameters.get("bridgeId") + "-from-mqtt";
        ModelCamelContext model = (ModelCamelContext) context;
        try {
            model.addRouteFromTemplate(routeId, FROM_MQTT, parameters);
            // Added while Camel Main is still adding routes, the definition is in the model but not among the
            // routes Camel starts; start it once the context is up (at once when it already is).
            if (context.getRoute(routeId) == null) {
                context.addStartupListener(new StartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted)
                            throws Exception {
                        if (started.getRoute(routeId) == null) {
                            model.startRouteDefinitions(List.of(model.getRouteDefinition(routeId)));
                        }
                        // Under Camel's supervising route controller (the gateway's default) a route added after
                        // start-up is created but left stopped: start it through the controller.
                        if (!started.getRouteController().getRouteStatus(routeId).isStarted()) {
                            started.getRouteController().startRoute(routeId);
                        }
                    }
                });
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create route " + routeId + " of the " + BRIDGE + " template: "
                    + e.getMessage(), e);
        }
    }
}
