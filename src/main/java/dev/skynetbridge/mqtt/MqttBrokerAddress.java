package dev.skynetbridge.mqtt;

import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where an MQTT broker is, read from the URL a user writes: {@code tcp://host:1883} (or {@code mqtt://}),
 * {@code ssl://host:8883} (or {@code mqtts://}, {@code tls://}), {@code ws://host:80/path} and
 * {@code wss://host:443/path}. The port defaults to the scheme's usual one.
 *
 * @param tls whether the connection is TLS (default JVM trust store)
 * @param webSocketPath the websocket path without its leading slash, or null for plain TCP
 */
public record MqttBrokerAddress(String host, int port, boolean tls, String webSocketPath) {

    private static final String EXPECTED = "expected tcp://host:port, ssl://host:port, ws://host:port/path or"
                                           + " wss://host:port/path";

    public static MqttBrokerAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("MQTT broker URL is empty: " + EXPECTED);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MQTT broker URL '" + url + "' is not a URL (" + e.getReason() + "): "
                                               + EXPECTED, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("MQTT broker URL '" + url + "' names no host: " + EXPECTED);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : uri.getRawPath().substring(1);
        return switch (scheme) {
            case "tcp", "mqtt" -> new MqttBrokerAddress(uri.getHost(), portOr(uri, 1883), false, null);
            case "ssl", "tls", "mqtts" -> new MqttBrokerAddress(uri.getHost(), portOr(uri, 8883), true, null);
            case "ws" -> new MqttBrokerAddress(uri.getHost(), portOr(uri, 80), false, path);
            case "wss" -> new MqttBrokerAddress(uri.getHost(), portOr(uri, 443), true, path);
            default -> throw new IllegalArgumentException("MQTT broker URL '" + url + "' has the unknown scheme '"
                                                          + scheme + "': " + EXPECTED);
        };
    }

    private static int portOr(URI uri, int defaultPort) {
        return uri.getPort() > 0 ? uri.getPort() : defaultPort;
    }

    public boolean webSocket() {
        return webSocketPath != null;
    }

    /** The HiveMQ client's transport settings for this address; TLS uses the JVM's default trust store. */
    public MqttClientTransportConfig transportConfig(int connectTimeoutSeconds) {
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(host)
                .serverPort(port)
                .socketConnectTimeout(connectTimeoutSeconds, TimeUnit.SECONDS)
                .mqttConnectTimeout(connectTimeoutSeconds, TimeUnit.SECONDS);
        if (tls) {
            transport.sslWithDefaultConfig();
        }
        if (webSocket()) {
            transport.webSocketConfig(MqttWebSocketConfig.builder().serverPath(webSocketPath).build());
        }
        return transport.build();
    }
}
