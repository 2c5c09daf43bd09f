package dev.skynetbridge.bridge.homeassistant;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML read into nodes that keep their line (SnakeYAML Engine, the YAML library camel-yaml-dsl already brings),
 * with the YAML 1.2 core schema: {@code 42} is a number, {@code "42"} and {@code on} are text, {@code true} a
 * boolean. Every problem is a {@link HomeAssistantFileException} that names {@code file:line}.
 */
final class YamlTree {

    /** Deeper nesting than any Home Assistant option needs; also stops a self-referencing alias. */
    private static final int MAX_DEPTH = 16;

    private final String source;

    YamlTree(String source) {
        this.source = source;
    }

    /** The document's root node; empty for an empty file. */
    Optional<Node> compose(String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setSchema(new CoreSchema()).build();
        try {
            return new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(mark -> mark.getLine() + 1).orElse(1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new HomeAssistantFileException(source + ":" + line + ": not valid YAML: " + problem + context);
        } catch (YamlEngineException e) {
            throw new HomeAssistantFileException(source + ":1: not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(0) + 1;
    }

    String at(Node node) {
        return at(line(node));
    }

    String at(int line) {
        return source + ":" + line + ": ";
    }

    /** The keys of a mapping in file order, each with its value node; a key given twice is an error. */
    LinkedHashMap<String, Node> mapping(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw new HomeAssistantFileException(at(node) + what + " must be a mapping (key: value lines), not "
                    + describe(node));
        }
        LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || Tag.NULL.equals(key.getTag())) {
                throw new HomeAssistantFileException(at(keyNode) + "a key in " + what + " must be a plain name");
            }
            if (entries.containsKey(key.getValue())) {
                throw new HomeAssistantFileException(at(keyNode) + "'" + key.getValue() + "' is given twice in "
                        + what);
            }
            entries.put(key.getValue(), tuple.getValueNode());
        }
        return entries;
    }

    List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode sequence)) {
            throw new HomeAssistantFileException(at(node) + what + " must be a list (lines starting with '- '), not "
                    + describe(node));
        }
        return sequence.getValue();
    }

    /** A scalar that must be text (a quoted or plain string; numbers and booleans are refused). */
    String text(Node node, String what) {
        if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        throw new HomeAssistantFileException(at(node) + what + " must be text, not " + describe(node));
    }

    /** Any YAML value as plain Java values (String, Long/BigInteger, Double, Boolean, null, List, Map). */
    Object value(Node node) {
        return value(node, 0);
    }

    private Object value(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new HomeAssistantFileException(at(node) + "nested more than " + MAX_DEPTH + " levels deep");
        }
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> values = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                values.add(value(item, depth + 1));
            }
            return values;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        mapping(node, "this value").forEach((key, item) -> values.put(key, value(item, depth + 1)));
        return values;
    }

    private Object scalar(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        try {
            if (Tag.STR.equals(tag)) {
                return text;
            }
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(text);
            }
            if (Tag.INT.equals(tag)) {
                return integer(text);
            }
            if (Tag.FLOAT.equals(tag)) {
                return floating(text);
            }
        } catch (NumberFormatException e) {
            throw new HomeAssistantFileException(at(scalar) + "'" + text + "' is not a number YAML can read");
        }
        throw new HomeAssistantFileException(at(scalar) + "the YAML tag " + tag + " is not supported here; write the"
                + " value plainly");
    }

    private static Object integer(String text) {
        String digits = text.startsWith("+") ? text.substring(1) : text;
        int radix = 10;
        if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o")) {
            radix = 8;
            digits = digits.substring(2);
        }
        BigInteger value = new BigInteger(digits, radix);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static Double floating(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return switch (lower) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** What a node is, for messages: "the number 42", "a list", ... */
    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            Tag tag = scalar.getTag();
            if (Tag.NULL.equals(tag)) {
                return "empty";
            }
            if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                return "the number " + scalar.getValue();
            }
            if (Tag.BOOL.equals(tag)) {
                return "the boolean " + scalar.getValue();
            }
            return "the text '" + scalar.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }
}
