package dev.skynetbridge.bridge.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery config topics the gateway published and has not deleted again, kept in a small JSON file under
 * {@code data/}, so that an entity removed from the Home Assistant file is deleted (an empty retained config) on
 * the next start.
 *
 * <p>Why a file and not the broker's retained configs: reading retained messages back needs a wait with no end
 * marker (MQTT never says "that was all"), and under a shared prefix it would have to guess which configs are the
 * gateway's. The file is exact and needs no broker. The price: with the file lost, entities removed meanwhile stay in
 * Home Assistant until deleted there by hand.
 */
final class PublishedTopics {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedTopics.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;
    /** More than any file can produce (a few runs' worth of {@link HomeAssistantFileParser#MAX_ENTITIES}). */
    static final int MAX_TOPICS = 10_000;

    private final Path file;

    PublishedTopics(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The topics recorded; empty when there is no file yet, or (logged) when it cannot be read. */
    Set<String> read() {
        Set<String> topics = new LinkedHashSet<>();
        if (!Files.isRegularFile(file)) {
            return topics;
        }
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            JsonNode list = root == null ? null : root.get("topics");
            if (list == null || !list.isArray()) {
                throw new IOException("no \"topics\" list in it");
            }
            for (JsonNode topic : list) {
                if (topics.size() >= MAX_TOPICS) {
                    LOG.warn("{} lists more than {} topics; the rest are ignored", file, MAX_TOPICS);
                    break;
                }
                if (topic.isTextual() && !topic.asText().isEmpty()) {
                    topics.add(topic.asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read {} ({}); entities removed from the Home Assistant file since it was written are not"
                     + " deleted from Home Assistant: delete them there, or restore the file", file, e.getMessage());
            topics.clear();
        }
        return topics;
    }

    /**
     * Replaces the file's list (written to a temporary file and moved into place, so a crash leaves the old or the
     * new list, never half of one).
     *
     * @return false (logged) when it could not be written
     */
    boolean write(Collection<String> topics, String broker, String bridge) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("comment", "Home Assistant discovery configs skynet-bridge published; it deletes those no longer in"
                            + " the Home Assistant file at start. Delete this file only together with the entities.");
        root.put("bridge", bridge);
        root.put("broker", broker);
        ArrayNode list = root.putArray("topics");
        topics.stream().limit(MAX_TOPICS).forEach(list::add);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                    StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot write {} ({}): entities removed from the Home Assistant file will not be deleted from Home"
                     + " Assistant at the next start. Make the folder writable or set skynet.homeassistant.state-file",
                    file, e.toString());
            return false;
        }
    }
}
