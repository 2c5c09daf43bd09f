package dev.skynetbridge.server.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
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
 * Reads the access file ({@code skynet.server.acl-file}), a YAML document:
 *
 * <pre>
 * tokens:
 *   - name: reactor
 *     hash: "pbkdf2-sha256$..."
 *     rules:
 *       - { allow: readwrite, channels: [42, "s:reactor-*"] }
 * anonymous:
 *   rules:
 *     - { allow: read, channels: [1] }
 * </pre>
 *
 * Every problem is reported as {@code file:line: problem} (an {@link AccessFileException}); the
 * YAML is read as nodes, which keep their line, rather than as plain maps, which do not.
 */
public final class AccessFile {

    static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Set<String> TOP_KEYS = Set.of("tokens", "anonymous");
    private static final Set<String> TOKEN_KEYS = Set.of("name", "hash", "rules");
    private static final Set<String> ANONYMOUS_KEYS = Set.of("rules");
    private static final Set<String> RULE_KEYS = Set.of("allow", "channels");

    private final String file;

    private AccessFile(String file) {
        this.file = file;
    }

    public static AccessPolicy load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AccessFileException(path.toString(), 0, "the access file does not exist (skynet.server.acl-file,"
                    + " env SKYNET_SERVER_ACL_FILE): create it or clear the setting");
        } catch (IOException e) {
            throw new AccessFileException(path.toString(), 0, "cannot read the access file: " + e.getMessage());
        }
        return parse(text, path.toString());
    }

    /** @param file the name to put in front of every problem */
    public static AccessPolicy parse(String text, String file) {
        return new AccessFile(file).read(text);
    }

    private AccessPolicy read(String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false).setMaxAliasesForCollections(50).build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            throw new AccessFileException(file, line, "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new AccessFileException(file, 0, "not valid YAML: " + e.getMessage());
        }
        if (document.isEmpty()) {
            throw new AccessFileException(file, 0, "the access file is empty: declare tokens: and/or anonymous:"
                    + " (see docs/access-control.md)");
        }
        Map<String, NodeTuple> top = mapping(document.get(), "the access file", TOP_KEYS);
        Map<String, AccessPolicy.TokenEntry> tokens = new LinkedHashMap<>();
        NodeTuple tokenList = top.get("tokens");
        if (tokenList != null) {
            readTokens(tokenList.getValueNode(), tokens);
        }
        TokenRules anonymous = null;
        NodeTuple anonymousBlock = top.get("anonymous");
        if (anonymousBlock != null) {
            Map<String, NodeTuple> fields = mapping(anonymousBlock.getValueNode(), "anonymous", ANONYMOUS_KEYS);
            anonymous = readRules(fields.get("rules"), null, anonymousBlock.getValueNode());
        }
        return new AccessPolicy(file, tokens, anonymous);
    }

    private void readTokens(Node node, Map<String, AccessPolicy.TokenEntry> tokens) {
        Map<String, Integer> lineOfName = new HashMap<>();
        for (Node tokenNode : sequence(node, "tokens", "a list of tokens (- name: ...)")) {
            Map<String, NodeTuple> fields = mapping(tokenNode, "a token", TOKEN_KEYS);
            NodeTuple nameField = fields.get("name");
            if (nameField == null) {
                throw problem(tokenNode, "a token needs a name (letters, digits, - and _)");
            }
            String name = scalarText(nameField.getValueNode(), "name");
            if (!TOKEN_NAME.matcher(name).matches()) {
                throw problem(nameField.getValueNode(), "token name '" + name + "' may only use letters, digits, - and _");
            }
            Integer earlier = lineOfName.putIfAbsent(name, line(nameField.getValueNode()));
            if (earlier != null) {
                throw problem(nameField.getValueNode(), "token name '" + name + "' is already used at line " + earlier);
            }
            NodeTuple hashField = fields.get("hash");
            if (hashField == null) {
                throw problem(tokenNode, "token " + name + " needs a hash: run java -jar skynet-bridge.jar hash-token"
                        + " <secret> and paste the hash line it prints");
            }
            TokenHash hash;
            try {
                hash = TokenHash.parse(scalarText(hashField.getValueNode(), "hash"));
            } catch (IllegalArgumentException e) {
                throw problem(hashField.getValueNode(), "token " + name + ": " + e.getMessage());
            }
            TokenRules rules = readRules(fields.get("rules"), name, tokenNode);
            tokens.put(name, new AccessPolicy.TokenEntry(name, hash, rules));
        }
    }

    /** @param tokenName what %n stands for; null in the anonymous block */
    private TokenRules readRules(NodeTuple rulesField, String tokenName, Node owner) {
        String who = tokenName == null ? "anonymous" : "token " + tokenName;
        if (rulesField == null) {
            throw problem(owner, who + " has no rules: add rules: with { allow: read|write|readwrite|deny, channels:"
                    + " [...] } entries");
        }
        List<ChannelPattern> readable = new ArrayList<>();
        List<ChannelPattern> writable = new ArrayList<>();
        List<ChannelPattern> denied = new ArrayList<>();
        int count = 0;
        for (Node ruleNode : sequence(rulesField.getValueNode(), "rules",
                "a list of rules (- { allow: read, channels: [42] })")) {
            Map<String, NodeTuple> fields = mapping(ruleNode, "a rule", RULE_KEYS);
            NodeTuple allowField = fields.get("allow");
            if (allowField == null) {
                throw problem(ruleNode, "a rule of " + who + " needs allow: read, write, readwrite or deny");
            }
            String word = scalarText(allowField.getValueNode(), "allow");
            Access access = Access.parse(word);
            if (access == null) {
                throw problem(allowField.getValueNode(), "allow: '" + word + "' is not read, write, readwrite or deny");
            }
            NodeTuple channelsField = fields.get("channels");
            if (channelsField == null) {
                throw problem(ruleNode, "a rule of " + who + " needs channels: [...] (42, \"n:100-199\", \"s:name\","
                        + " \"s:prefix-*\", \"*\")");
            }
            List<ChannelPattern> patterns = readChannels(channelsField.getValueNode(), tokenName);
            if (access == Access.DENY) {
                denied.addAll(patterns);
            }
            if (access.reads()) {
                readable.addAll(patterns);
            }
            if (access.writes()) {
                writable.addAll(patterns);
            }
            count++;
        }
        return new TokenRules(ChannelSet.of(readable), ChannelSet.of(writable), ChannelSet.of(denied), count);
    }

    private List<ChannelPattern> readChannels(Node node, String tokenName) {
        List<Node> entries = node instanceof ScalarNode ? List.of(node)
                : sequence(node, "channels", "a list of channels ([42, \"s:door\"])");
        if (entries.isEmpty()) {
            throw problem(node, "channels: [] names no channel");
        }
        List<ChannelPattern> patterns = new ArrayList<>(entries.size());
        for (Node entry : entries) {
            patterns.add(channel(entry, tokenName));
        }
        return patterns;
    }

    private ChannelPattern channel(Node node, String tokenName) {
        if (!(node instanceof ScalarNode scalar)) {
            throw problem(node, "a channel is a number or a string, not a " + kind(node));
        }
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.INT.equals(tag)) {
            if (!DECIMAL.matcher(value).matches()) {
                throw problem(node, "write channel number " + value + " in decimal");
            }
            try {
                return ChannelPattern.number(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw problem(node, value + " is beyond a 64-bit channel number");
            }
        }
        if (!Tag.STR.equals(tag)) {
            throw problem(node, "'" + value + "' is not a channel: a channel is a whole number or a string"
                    + " (quote it: \"s:" + value + "\")");
        }
        try {
            return ChannelPattern.parse(value, tokenName);
        } catch (IllegalArgumentException e) {
            throw problem(node, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ node helpers

    /** The mapping's entries by key; an unknown or repeated key is a problem at its line. */
    private Map<String, NodeTuple> mapping(Node node, String what, Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, what + " must be a mapping (key: value), not a " + kind(node));
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (key == null || !known.contains(key)) {
                throw problem(keyNode, "unknown key '" + (key == null ? kind(keyNode) : key) + "' in " + what
                        + " (expected " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
            if (fields.putIfAbsent(key, tuple) != null) {
                throw problem(keyNode, "'" + key + "' appears twice in " + what);
            }
        }
        return fields;
    }

    private List<Node> sequence(Node node, String key, String expected) {
        if (node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag())) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw problem(node, key + " must be " + expected + ", not a " + kind(node));
        }
        return sequence.getValue();
    }

    private String scalarText(Node node, String key) {
        if (!(node instanceof ScalarNode scalar) || Tag.NULL.equals(scalar.getTag())) {
            throw problem(node, key + " needs a value");
        }
        return scalar.getValue();
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        return "value";
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    private AccessFileException problem(Node node, String text) {
        return new AccessFileException(file, line(node), text);
    }
}
