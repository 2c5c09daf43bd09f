package dev.skynetbridge.docs;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table for the generated pages; cells are Markdown, kept on one line each. */
final class MarkdownTable {

    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... columns) {
        this.columns = List.of(columns);
    }

    MarkdownTable row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + columns + " needs " + columns.size() + " cells, got "
                    + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(cell(cell));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table followed by a blank line. */
    String render() {
        StringBuilder out = new StringBuilder();
        line(out, columns);
        line(out, columns.stream().map(column -> "---").toList());
        rows.forEach(row -> line(out, row));
        return out.append('\n').toString();
    }

    /** {@code text} as inline code, or an empty cell for no text. */
    static String code(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        // A backtick inside needs a longer fence, and a space where the text starts or ends with one.
        String fence = text.contains("`") ? "``" : "`";
        String padding = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + padding + text + padding + fence;
    }

    /** Plain text (a description) as Markdown: characters that would start markup or an HTML tag are escaped. */
    static String prose(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\\', '*', '_', '`', '[', ']' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
