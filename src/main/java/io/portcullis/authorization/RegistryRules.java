package io.portcullis.authorization;

import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the authorization parts of a registry before it is accepted: group queries and topic
 * templates parse, bindings name groups and topic spaces that exist, and {@code $all} is not
 * redefined. Called by the configuration loader and the admin API; pure and thread-safe.
 * Name syntax and counts are the loader's concern, not this class's.
 */
public final class RegistryRules {

    private RegistryRules() {
    }

    /** Every violation found, in registry order; empty when the registry is acceptable. */
    public static List<RuleViolation> validate(Registry registry) {
        List<RuleViolation> violations = new ArrayList<>();
        for (ClientGroup group : registry.clientGroups().values()) {
            checkGroup(group, violations);
        }
        for (TopicSpace space : registry.topicSpaces().values()) {
            checkTopicSpace(space, violations);
        }
        for (PermissionBinding binding : registry.permissionBindings().values()) {
            checkBinding(binding, registry, violations);
        }
        return List.copyOf(violations);
    }

    private static void checkGroup(ClientGroup group, List<RuleViolation> violations) {
        String path = "clientGroups[" + group.name() + "]";
        if (group.name().equalsIgnoreCase(ClientGroup.ALL)) {
            violations.add(new RuleViolation(path, "'$all' is the built-in group of every client and cannot be "
                    + "redefined", "remove this group; bindings may name '$all' without defining it"));
            return;
        }
        try {
            GroupQuery.parse(group.query());
        } catch (QueryParseException e) {
            violations.add(new RuleViolation(path + ".query", "the query does not parse at position " + e.position()
                    + " (0-based): expected " + e.expected() + ", found " + e.found(),
                    "correct the query, e.g. attributes.type IN ['sensor','gateway'] and attributes.floor <= 5"));
        }
    }

    private static void checkTopicSpace(TopicSpace space, List<RuleViolation> violations) {
        List<String> templates = space.topicTemplates();
        for (int i = 0; i < templates.size(); i++) {
            try {
                TopicTemplate.parse(templates.get(i));
            } catch (TemplateParseException e) {
                violations.add(new RuleViolation("topicSpaces[" + space.name() + "].topicTemplates[" + i + "]",
                        "the template " + Reasons.quote(templates.get(i)) + " is not valid at position "
                                + e.position() + " (0-based): " + e.problem(),
                        "write a topic filter whose variables are ${client.authenticationName} or "
                                + "${client.attributes.<key>}, each within one level"));
            }
        }
    }

    private static void checkBinding(PermissionBinding binding, Registry registry, List<RuleViolation> violations) {
        String path = "permissionBindings[" + binding.name() + "]";
        String group = binding.clientGroupName();
        if (!group.equals(ClientGroup.ALL) && !registry.clientGroups().containsKey(group)) {
            violations.add(new RuleViolation(path + ".clientGroupName", "no client group named '" + group + "'",
                    "name an existing client group or '$all', or add the group"));
        }
        String space = binding.topicSpaceName();
        if (!registry.topicSpaces().containsKey(space)) {
            violations.add(new RuleViolation(path + ".topicSpaceName", "no topic space named '" + space + "'",
                    "name an existing topic space, or add the topic space"));
        }
    }
}
