package dev.skynetbridge.protocol.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The golden vectors of {@code vectors/skynet-rpc-vectors.txt}, by name. Shared by protocol and component tests. */
public final class RpcVectors {

    public static final String CLIENT_ID = "8a4d4c2e-7f35-4c1e-9d52-0c6b1f0e2a11";
    public static final String REQUEST_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    public static final String SERVICE = "TestService";

    private static final Pattern NAMED_VECTOR = Pattern.compile("^(\\w+) \\((\\d+) bytes\\):\\s*\\R\\s*([0-9a-f]+)\\s*$",
            Pattern.MULTILINE);
    private static final Map<String, byte[]> VECTORS = load();

    private RpcVectors() {
    }

    public static byte[] get(String name) {
        byte[] bytes = VECTORS.get(name);
        if (bytes == null) {
            throw new IllegalArgumentException("no vector named " + name + "; known: " + VECTORS.keySet());
        }
        return bytes.clone();
    }

    public static Map<String, byte[]> all() {
        return VECTORS;
    }

    private static Map<String, byte[]> load() {
        try (InputStream in = RpcVectors.class.getResourceAsStream("/vectors/skynet-rpc-vectors.txt")) {
            if (in == null) {
                throw new IllegalStateException("vectors/skynet-rpc-vectors.txt is not on the test classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, byte[]> vectors = new LinkedHashMap<>();
            Matcher matcher = NAMED_VECTOR.matcher(text);
            while (matcher.find()) {
                byte[] bytes = HexFormat.of().parseHex(matcher.group(3));
                if (bytes.length != Integer.parseInt(matcher.group(2))) {
                    throw new IllegalStateException("vector " + matcher.group(1) + " announces " + matcher.group(2)
                            + " bytes but has " + bytes.length);
                }
                vectors.put(matcher.group(1), bytes);
            }
            return vectors;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
