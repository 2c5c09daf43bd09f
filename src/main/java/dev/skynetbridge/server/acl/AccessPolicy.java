package dev.skynetbridge.server.acl;

import java.util.Map;

/**
 * One reading of the access file: the tokens by name and what anonymous connections may do
 * (null: they are refused). Immutable; a reload builds a new one.
 *
 * @param source the file it was read from, for log lines
 */
public record AccessPolicy(String source, Map<String, TokenEntry> tokens, TokenRules anonymous) {

    /** One token: its name, its stored hash and its compiled rules. */
    public record TokenEntry(String name, TokenHash hash, TokenRules rules) {
    }

    public AccessPolicy {
        tokens = Map.copyOf(tokens);
    }

    /** @return null when there is no token of that name */
    public TokenEntry token(String name) {
        return tokens.get(name);
    }

    public boolean allowsAnonymous() {
        return anonymous != null;
    }

    public int ruleCount() {
        int rules = anonymous == null ? 0 : anonymous.ruleCount();
        for (TokenEntry entry : tokens.values()) {
            rules += entry.rules().ruleCount();
        }
        return rules;
    }
}
