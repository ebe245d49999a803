package io.portcullis.authorization;

import io.portcullis.registry.Permission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one set of applicable permission bindings grants, per direction, shared by every client whose
 * group memberships select exactly those bindings. Holds the variables the templates use, numbered
 * locally so each client resolves only those. Immutable once built; safe for concurrent readers.
 */
final class GrantIndex {
    private final TemplateVariable[] variables;
    private final Direction publish;
    private final Direction subscribe;

    GrantIndex(CompiledRegistry.Binding[] bindings, BitSet applicable) {
        Map<TemplateVariable, Integer> localIds = new LinkedHashMap<>();
        this.publish = new Direction(bindings, applicable, Permission.Publisher, localIds);
        this.subscribe = new Direction(bindings, applicable, Permission.Subscriber, localIds);
        this.variables = localIds.keySet().toArray(new TemplateVariable[0]);
    }

    TemplateVariable[] variables() {
        return variables;
    }

    Direction publish() {
        return publish;
    }

    Direction subscribe() {
        return subscribe;
    }

    /** A template, with the binding and topic space it came from, named in explanations. */
    record TemplateUse(String bindingName, String topicSpaceName, String template) {
    }

    /** One direction's trie plus what is needed to explain a denial and answer "any permission?". */
    static final class Direction {
        private final GrantTrie trie;
        private final int bindingCount;
        private final int[][] variableSets;
        private final List<TemplateUse> firstUses;

        private Direction(CompiledRegistry.Binding[] bindings, BitSet applicable, Permission permission,
                          Map<TemplateVariable, Integer> localIds) {
            GrantTrie.Builder builder = new GrantTrie.Builder();
            Set<List<Integer>> sets = new LinkedHashSet<>();
            List<TemplateUse> uses = new ArrayList<>();
            int count = 0;
            for (int b = applicable.nextSetBit(0); b >= 0; b = applicable.nextSetBit(b + 1)) {
                CompiledRegistry.Binding binding = bindings[b];
                if (binding.permission() != permission) {
                    continue;
                }
                count++;
                for (TopicTemplate template : binding.templates()) {
                    AccessDecision grant = AccessDecision.allow(binding.name(), binding.topicSpaceName(),
                            template.source());
                    builder.add(template.levels(), grant,
                            variable -> localIds.computeIfAbsent(variable, v -> localIds.size()));
                    List<Integer> set = new ArrayList<>();
                    for (TemplateVariable variable : template.variables()) {
                        int id = localIds.get(variable);
                        set.add(id);
                        while (uses.size() <= id) {
                            uses.add(null);
                        }
                        if (uses.get(id) == null) {
                            uses.set(id, new TemplateUse(binding.name(), binding.topicSpaceName(), template.source()));
                        }
                    }
                    sets.add(set);
                }
            }
            this.trie = builder.build();
            this.bindingCount = count;
            this.variableSets = sets.stream().map(set -> set.stream().mapToInt(Integer::intValue).toArray())
                    .toArray(int[][]::new);
            this.firstUses = Arrays.asList(uses.toArray(new TemplateUse[0]));
        }

        GrantTrie trie() {
            return trie;
        }

        /** How many applicable bindings grant this direction, whether or not their templates resolve. */
        int bindingCount() {
            return bindingCount;
        }

        /** Whether some template's variables all resolve (a template without variables always does). */
        boolean grantsAnything(String[] values) {
            for (int[] set : variableSets) {
                boolean resolved = true;
                for (int variable : set) {
                    if (values[variable] == null) {
                        resolved = false;
                        break;
                    }
                }
                if (resolved) {
                    return true;
                }
            }
            return false;
        }

        /** The first template of this direction that uses the variable, or {@code null}. */
        TemplateUse firstUse(int variable) {
            return variable < firstUses.size() ? firstUses.get(variable) : null;
        }
    }
}
