package io.portcullis.authorization;

import io.portcullis.registry.Permission;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one set of applicable permission bindings grants in one direction (publish or subscribe),
 * shared by every client whose group memberships select exactly those bindings of that direction.
 * Holds the variables its templates use, numbered locally so each client resolves only those.
 * Immutable once built; safe for concurrent readers.
 */
final class GrantIndex {
    private final GrantTrie trie;
    private final TemplateVariable[] variables;
    private final int bindingCount;
    private final int[][] variableSets;
    private final TemplateUse[] firstUses;

    /** Indexes the templates of the bindings in {@code applicable}, all of which grant {@code permission}. */
    GrantIndex(CompiledRegistry.Binding[] bindings, BitSet applicable, Permission permission) {
        Map<TemplateVariable, Integer> localIds = new LinkedHashMap<>();
        GrantTrie.Builder builder = new GrantTrie.Builder();
        Set<List<Integer>> sets = new LinkedHashSet<>();
        List<TemplateUse> uses = new ArrayList<>();
        int count = 0;
        for (int b = applicable.nextSetBit(0); b >= 0; b = applicable.nextSetBit(b + 1)) {
            CompiledRegistry.Binding binding = bindings[b];
            if (binding.permission() != permission) {
                throw new IllegalArgumentException("binding " + binding.name() + " does not grant " + permission);
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
                    if (id == uses.size()) {
                        uses.add(new TemplateUse(binding.name(), binding.topicSpaceName(), template.source()));
                    }
                }
                sets.add(set);
            }
        }
        this.trie = builder.build();
        this.variables = localIds.keySet().toArray(new TemplateVariable[0]);
        this.bindingCount = count;
        this.variableSets = sets.stream().map(set -> set.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        this.firstUses = uses.toArray(new TemplateUse[0]);
    }

    GrantTrie trie() {
        return trie;
    }

    /** The variables the templates use; a client's values are passed to checks in this order. */
    TemplateVariable[] variables() {
        return variables;
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

    /** The first template that uses the variable, named in denials when the variable does not resolve. */
    TemplateUse firstUse(int variable) {
        return firstUses[variable];
    }

    /** A template, with the binding and topic space it came from. */
    record TemplateUse(String bindingName, String topicSpaceName, String template) {
    }
}
