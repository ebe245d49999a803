package io.portcullis.authorization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The templates one set of permission bindings grants in one direction, as a trie over topic
 * levels with separate edges for literal text, {@code +}, {@code #} and levels holding variables.
 * Variables are not substituted into the trie: a pattern edge compares a level against the
 * client's resolved values at check time, so one trie serves every client with the same bindings.
 * A pattern whose variable did not resolve for the client (value {@code null}) matches nothing.
 *
 * <p>A lookup follows only the edges a level can take: the cost grows with the number of levels
 * and of wildcard and pattern edges on the way, not with the number of templates. Distinct patterns
 * at the same node are tried one after another. Immutable after {@link Builder#build()}; safe for
 * concurrent readers.
 */
final class GrantTrie {
    private final Node root;

    private GrantTrie(Node root) {
        this.root = root;
    }

    /** The grant of a template that matches the topic name, or {@code null}. */
    AccessDecision findMatch(String[] levels, String[] values) {
        return match(root, levels, 0, values);
    }

    /** The grant of a template that covers every topic the filter can match, or {@code null}. */
    AccessDecision findCover(String[] levels, String[] values) {
        return cover(root, levels, 0, values);
    }

    /** The grant of a template that matches at least one topic the filter matches, or {@code null}. */
    AccessDecision findOverlap(String[] levels, String[] values) {
        return overlap(root, levels, 0, values);
    }

    private static AccessDecision match(Node node, String[] levels, int i, String[] values) {
        if (node.hashGrant != null) {
            return node.hashGrant;
        }
        if (i == levels.length) {
            return node.grant;
        }
        String level = levels[i];
        Node literal = node.literals.get(level);
        if (literal != null) {
            AccessDecision found = match(literal, levels, i + 1, values);
            if (found != null) {
                return found;
            }
        }
        for (PatternEdge edge : node.patterns) {
            if (edge.pattern.matches(level, values)) {
                AccessDecision found = match(edge.child, levels, i + 1, values);
                if (found != null) {
                    return found;
                }
            }
        }
        return node.plus == null ? null : match(node.plus, levels, i + 1, values);
    }

    private static AccessDecision cover(Node node, String[] levels, int i, String[] values) {
        if (node.hashGrant != null) {
            // A template '#' covers the rest, including a request that ended at this level.
            return node.hashGrant;
        }
        if (i == levels.length) {
            return node.grant;
        }
        String level = levels[i];
        if (level.equals("#")) {
            // Every topic has a first level, so at the root "+/#" matches what "#" matches.
            return i == 0 && levels.length == 1 && node.plus != null ? node.plus.hashGrant : null;
        }
        if (!level.equals("+")) {
            Node literal = node.literals.get(level);
            if (literal != null) {
                AccessDecision found = cover(literal, levels, i + 1, values);
                if (found != null) {
                    return found;
                }
            }
            for (PatternEdge edge : node.patterns) {
                if (edge.pattern.matches(level, values)) {
                    AccessDecision found = cover(edge.child, levels, i + 1, values);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return node.plus == null ? null : cover(node.plus, levels, i + 1, values);
    }

    private static AccessDecision overlap(Node node, String[] levels, int i, String[] values) {
        if (node.hashGrant != null) {
            return node.hashGrant;
        }
        if (i == levels.length) {
            return node.grant;
        }
        String level = levels[i];
        if (level.equals("#")) {
            return any(node, values);
        }
        boolean plus = level.equals("+");
        if (plus) {
            for (Node literal : node.literals.values()) {
                AccessDecision found = overlap(literal, levels, i + 1, values);
                if (found != null) {
                    return found;
                }
            }
        } else {
            Node literal = node.literals.get(level);
            if (literal != null) {
                AccessDecision found = overlap(literal, levels, i + 1, values);
                if (found != null) {
                    return found;
                }
            }
        }
        for (PatternEdge edge : node.patterns) {
            if (plus ? edge.pattern.isResolved(values) : edge.pattern.matches(level, values)) {
                AccessDecision found = overlap(edge.child, levels, i + 1, values);
                if (found != null) {
                    return found;
                }
            }
        }
        return node.plus == null ? null : overlap(node.plus, levels, i + 1, values);
    }

    /** Any grant at or below the node whose patterns resolve for the client. */
    private static AccessDecision any(Node node, String[] values) {
        if (node.grant != null) {
            return node.grant;
        }
        if (node.hashGrant != null) {
            return node.hashGrant;
        }
        for (Node literal : node.literals.values()) {
            AccessDecision found = any(literal, values);
            if (found != null) {
                return found;
            }
        }
        for (PatternEdge edge : node.patterns) {
            if (edge.pattern.isResolved(values)) {
                AccessDecision found = any(edge.child, values);
                if (found != null) {
                    return found;
                }
            }
        }
        return node.plus == null ? null : any(node.plus, values);
    }

    /** Collects templates, then freezes them into a trie. Confined to the building thread. */
    static final class Builder {
        private final Node root = new Node();

        /**
         * Adds a template; the first template added for a path keeps its grant.
         *
         * @param localId maps each variable to its index in the values array checks will pass
         */
        void add(List<TemplateLevel> levels, AccessDecision grant, ToIntFunction<TemplateVariable> localId) {
            Node node = root;
            for (TemplateLevel level : levels) {
                if (level instanceof TemplateLevel.MultiWildcard) {
                    if (node.hashGrant == null) {
                        node.hashGrant = grant;
                    }
                    return;
                }
                node = child(node, level, localId);
            }
            if (node.grant == null) {
                node.grant = grant;
            }
        }

        private static Node child(Node node, TemplateLevel level, ToIntFunction<TemplateVariable> localId) {
            if (level instanceof TemplateLevel.Literal literal) {
                return node.buildingLiterals.computeIfAbsent(literal.text(), text -> new Node());
            }
            if (level instanceof TemplateLevel.SingleWildcard) {
                if (node.plus == null) {
                    node.plus = new Node();
                }
                return node.plus;
            }
            TemplateLevel.Pattern pattern = (TemplateLevel.Pattern) level;
            for (PatternEdge edge : node.buildingPatterns) {
                if (edge.pattern.source.equals(pattern.source())) {
                    return edge.child;
                }
            }
            PatternEdge edge = new PatternEdge(CompiledPattern.of(pattern, localId), new Node());
            node.buildingPatterns.add(edge);
            return edge.child;
        }

        GrantTrie build() {
            freeze(root);
            return new GrantTrie(root);
        }

        private static void freeze(Node node) {
            for (Node child : node.buildingLiterals.values()) {
                freeze(child);
            }
            for (PatternEdge edge : node.buildingPatterns) {
                freeze(edge.child);
            }
            if (node.plus != null) {
                freeze(node.plus);
            }
            node.literals = Map.copyOf(node.buildingLiterals);
            node.patterns = node.buildingPatterns.toArray(new PatternEdge[0]);
            node.buildingLiterals = null;
            node.buildingPatterns = null;
        }
    }

    /** A trie node; its fields are written only while building, before the trie is published. */
    private static final class Node {
        private Map<String, Node> buildingLiterals = new HashMap<>();
        private List<PatternEdge> buildingPatterns = new ArrayList<>();
        private Map<String, Node> literals = Map.of();
        private PatternEdge[] patterns = new PatternEdge[0];
        private Node plus;
        private AccessDecision grant;
        private AccessDecision hashGrant;
    }

    private record PatternEdge(CompiledPattern pattern, Node child) {
    }

    /**
     * A level with variables, as {@code texts[0] values[variables[0]] texts[1] ...}. Matching walks
     * the level once without building the substituted string.
     */
    static final class CompiledPattern {
        private final String source;
        private final String[] texts;
        private final int[] variables;

        private CompiledPattern(String source, String[] texts, int[] variables) {
            this.source = source;
            this.texts = texts;
            this.variables = variables;
        }

        static CompiledPattern of(TemplateLevel.Pattern pattern, ToIntFunction<TemplateVariable> localId) {
            int[] variables = new int[pattern.variables().size()];
            for (int i = 0; i < variables.length; i++) {
                variables[i] = localId.applyAsInt(pattern.variables().get(i));
            }
            return new CompiledPattern(pattern.source(), pattern.texts().toArray(new String[0]), variables);
        }

        boolean matches(String level, String[] values) {
            if (!level.startsWith(texts[0])) {
                return false;
            }
            int position = texts[0].length();
            for (int i = 0; i < variables.length; i++) {
                String value = values[variables[i]];
                if (value == null || !level.startsWith(value, position)) {
                    return false;
                }
                position += value.length();
                String text = texts[i + 1];
                if (!level.startsWith(text, position)) {
                    return false;
                }
                position += text.length();
            }
            return position == level.length();
        }

        boolean isResolved(String[] values) {
            for (int variable : variables) {
                if (values[variable] == null) {
                    return false;
                }
            }
            return true;
        }
    }
}
