package dev.skynetbridge.server.cluster.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server's {@code INFO} says that this client uses.
 *
 * @param maxPayload the largest payload the server takes in one PUB
 * @param nonce what to sign for an NKey or JWT login, or null
 * @param connectUrls the other servers of its cluster (host:port) a client may reconnect to
 */
public record NatsServerInfo(String serverId, int maxPayload, String nonce, boolean tlsRequired, boolean authRequired,
                             List<String> connectUrls) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** NATS's default when an INFO names none. */
    static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    /** Reads the JSON of an INFO; throws {@link IllegalArgumentException} when it is not JSON. */
    public static NatsServerInfo parse(String json) {
        JsonNode info;
        try {
            info = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("NATS sent an INFO that is not JSON: " + e.getOriginalMessage());
        }
        if (info == null || !info.isObject()) {
            throw new IllegalArgumentException("NATS sent an INFO that is not a JSON object");
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode url : info.path("connect_urls")) {
            if (url.isTextual() && !url.asText().isBlank()) {
                urls.add(url.asText());
            }
        }
        long maxPayload = info.path("max_payload").asLong(DEFAULT_MAX_PAYLOAD);
        return new NatsServerInfo(info.path("server_id").asText(""),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxPayload <= 0 ? DEFAULT_MAX_PAYLOAD : maxPayload)),
                info.hasNonNull("nonce") ? info.get("nonce").asText() : null, info.path("tls_required").asBoolean(),
                info.path("auth_required").asBoolean(), List.copyOf(urls));
    }
}
