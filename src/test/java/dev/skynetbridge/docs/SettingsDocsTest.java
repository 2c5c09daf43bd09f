package dev.skynetbridge.docs;

import static dev.skynetbridge.docs.MarkdownTable.code;
import static dev.skynetbridge.docs.MarkdownTable.prose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skynetbridge.app.GatewaySettings;
import dev.skynetbridge.app.GatewaySettings.Setting;
import dev.skynetbridge.app.SettingSection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/settings.md: every setting of {@link GatewaySettings#all()}, by {@link SettingSection}. */
class SettingsDocsTest {

    @Test
    void theSettingsPageListsEverySettingTheGatewayDeclares() {
        GeneratedDocs.assertUpToDate(GeneratedDocs.DOCS.resolve("settings.md"), page(GatewaySettings.all()));
    }

    @Test
    void everySettingBelongsToASection() {
        assertThat(GatewaySettings.all()).allSatisfy(setting -> assertThat(setting.section().keyPrefix())
                .isEqualTo(setting.key().substring(0, setting.key().indexOf('.', "skynet.".length()) + 1)));
    }

    static String page(List<Setting> settings) {
        StringBuilder page = new StringBuilder(GeneratedDocs.banner("dev.skynetbridge.app.GatewaySettings"));
        page.append("""
                # Gateway settings

                Every setting of the gateway, declared once in `dev.skynetbridge.app.GatewaySettings`. A value comes \
                from the first of: the environment variable (the key in upper case, dots and dashes as underscores), a \
                `-Dkey=value` system property, `config/application.properties` in the working directory (or the file \
                named by `-Dskynet.config=` or `SKYNET_CONFIG`), the default. A `skynet.*` key the gateway does not \
                know stops start-up with the file, the line and the nearest known key.

                Options of the Camel components and of the bridges are not settings: they go on the endpoints and \
                bridges themselves (see [components/](components/)).

                """);
        for (SettingSection section : SettingSection.values()) {
            List<Setting> inSection = settings.stream().filter(setting -> setting.section() == section).toList();
            if (inSection.isEmpty()) {
                continue;
            }
            MarkdownTable table = new MarkdownTable("key", "environment variable", "default", "meaning");
            inSection.forEach(setting -> table.row(code(setting.key()), code(setting.environmentVariable()),
                    setting.defaultValue().isEmpty() ? "(empty)" : code(setting.defaultValue()),
                    prose(setting.description())));
            page.append("## ").append(section.title()).append(" (").append(code(section.keyPrefix() + "*"))
                    .append(")\n\n").append(prose(section.summary())).append("\n\n").append(table.render());
        }
        return page.toString().stripTrailing() + "\n";
    }
}
