package dev.skynetbridge.app;

import dev.skynetbridge.support.NearestName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rejects a {@code skynet.*} key the gateway does not know (a misspelt setting would otherwise be
 * ignored silently), naming the file, the line and the nearest known key.
 */
final class SettingsFileCheck {

    private SettingsFileCheck() {
    }

    static void check(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Set<String> known = GatewaySettings.all().stream().map(GatewaySettings.Setting::key).collect(Collectors.toSet());
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            String key = line.split("[=:\\s]", 2)[0].trim();
            if (key.startsWith("skynet.") && !known.contains(key)) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": unknown setting '" + key + "'"
                        + nearest(key, known) + "; the settings are listed in docs/settings.md");
            }
        }
    }

    /** " (did you mean 'x'?)" for the closest of {@code known}, or empty when none is close. */
    static String nearest(String key, java.util.Collection<String> known) {
        return NearestName.suggestion(key, known, 4);
    }
}
