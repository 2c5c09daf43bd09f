package dev.skynetbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The gateway's release (Home Assistant's sw_version, the cluster's node announcements): from the jar's Maven
 * metadata, or "development".
 */
public final class GatewayVersion {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.skynetbridge/skynet-bridge/pom.properties";
    private static final String VERSION = read();

    private GatewayVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = GatewayVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null && !version.isBlank()) {
                    return version;
                }
            }
        } catch (IOException e) {
            // no version then
        }
        return "development";
    }
}
