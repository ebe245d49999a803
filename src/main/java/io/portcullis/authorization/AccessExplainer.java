package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;
import io.portcullis.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Answers "may client X publish to T / subscribe to F, and why" for the {@code check-access} command
 * and the admin API (SPEC 7). The decision comes from the {@link PermissionEvaluator}, so it is the
 * one the broker makes; the explanation re-walks groups, bindings and templates one by one, which
 * is slow and meant for people, not for the packet path. Pure and thread-safe.
 */
public final class AccessExplainer {
    private final PermissionEvaluator evaluator;

    public AccessExplainer() {
        this(new RegistryPermissionEvaluator());
    }

    public AccessExplainer(PermissionEvaluator evaluator) {
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    }

    /** Explains a publish to a topic name by the client with this name or authentication name. */
    public AccessExplanation explainPublish(Registry registry, String clientName, String topic) {
        return explain(registry, clientName, Permission.Publisher, topic);
    }

    /**
     * Explains a subscribe to a topic filter. A {@code $share/<group>/<filter>} filter is checked on
     * its inner filter, as the broker does.
     */
    public AccessExplanation explainSubscribe(Registry registry, String clientName, String topicFilter) {
        return explain(registry, clientName, Permission.Subscriber, topicFilter);
    }

    private AccessExplanation explain(Registry registry, String clientName, Permission direction, String request) {
        List<String> lines = new ArrayList<>();
        Client client = registry.clients().get(clientName);
        if (client == null) {
            client = registry.clientByAuthenticationName(clientName);
        }
        if (client == null) {
            AccessDecision decision = AccessDecision.deny("no client named " + Reasons.quote(clientName));
            lines.add("No client is registered with the name or authentication name " + Reasons.quote(clientName)
                    + ".");
            return finish(decision, lines);
        }
        lines.add("Client '" + client.name() + "' (authentication name '" + client.authenticationName()
                + "', " + client.state() + ").");
        String checked = request;
        boolean publish = direction == Permission.Publisher;
        if (!publish && Topics.isShared(request)) {
            Topics.SharedFilter shared = Topics.parseShared(request);
            if (shared == null) {
                lines.add(Reasons.quote(request) + " is not a valid shared subscription filter.");
                return finish(AccessDecision.deny(Reasons.quote(request)
                        + " is not a valid shared subscription filter"), lines);
            }
            lines.add("Shared subscription (share name '" + shared.shareName() + "'): checking the inner filter "
                    + Reasons.quote(shared.filter()) + ".");
            checked = shared.filter();
        }
        ClientPermissions permissions = evaluator.permissionsFor(client, registry);
        AccessDecision decision = publish ? permissions.checkPublish(checked) : permissions.checkSubscribe(checked);
        if (!client.isEnabled()) {
            lines.add("The client is disabled and holds no permissions.");
            return finish(decision, lines);
        }
        List<String> memberships = explainGroups(registry, client, lines);
        String problem = publish ? Topics.validateName(checked, Integer.MAX_VALUE, Integer.MAX_VALUE)
                : Topics.validateFilter(checked, Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (checked.startsWith("$")) {
            lines.add("Topics starting with '$' are reserved for the broker; no binding can grant them.");
        } else if (problem != null) {
            lines.add(Reasons.quote(checked) + " is not valid: " + problem + ".");
        } else {
            for (PermissionBinding binding : registry.permissionBindings().values()) {
                explainBinding(registry, client, binding, direction, checked, memberships, lines);
            }
        }
        return finish(decision, lines);
    }

    private static List<String> explainGroups(Registry registry, Client client, List<String> lines) {
        List<String> memberships = new ArrayList<>();
        memberships.add(ClientGroup.ALL);
        List<String> others = new ArrayList<>();
        for (ClientGroup group : registry.clientGroups().values()) {
            if (group.name().equals(ClientGroup.ALL)) {
                continue;
            }
            try {
                if (GroupQuery.parse(group.query()).matches(client)) {
                    memberships.add(group.name());
                } else {
                    others.add("Not a member of '" + group.name() + "': the client does not match its query: "
                            + group.query());
                }
            } catch (QueryParseException e) {
                others.add("Not a member of '" + group.name() + "': its query does not parse (" + e.getMessage()
                        + ").");
            }
        }
        lines.add("Member of client groups: " + String.join(", ", memberships) + ".");
        lines.addAll(others);
        return memberships;
    }

    private static void explainBinding(Registry registry, Client client, PermissionBinding binding,
                                       Permission direction, String checked, List<String> memberships,
                                       List<String> lines) {
        lines.add("Binding '" + binding.name() + "' (group '" + binding.clientGroupName() + "', topic space '"
                + binding.topicSpaceName() + "', " + binding.permission() + "):");
        if (binding.permission() != direction) {
            lines.add("  does not apply: it grants " + binding.permission() + " and this is a "
                    + (direction == Permission.Publisher ? "publish" : "subscribe") + ".");
            return;
        }
        String group = binding.clientGroupName();
        if (!group.equals(ClientGroup.ALL) && !registry.clientGroups().containsKey(group)) {
            lines.add("  grants nothing: there is no client group '" + group + "'.");
            return;
        }
        if (!memberships.contains(group)) {
            lines.add("  does not apply: the client is not in group '" + group + "'.");
            return;
        }
        TopicSpace space = registry.topicSpaces().get(binding.topicSpaceName());
        if (space == null) {
            lines.add("  grants nothing: there is no topic space '" + binding.topicSpaceName() + "'.");
            return;
        }
        if (space.topicTemplates().isEmpty()) {
            lines.add("  grants nothing: the topic space has no templates.");
        }
        for (String source : space.topicTemplates()) {
            lines.add("  " + explainTemplate(source, client, direction, checked));
        }
    }

    private static String explainTemplate(String source, Client client, Permission direction, String checked) {
        String named = "template " + Reasons.quote(source);
        TopicTemplate template;
        try {
            template = TopicTemplate.parse(source);
        } catch (TemplateParseException e) {
            return named + " is not valid and grants nothing: " + e.getMessage() + ".";
        }
        TopicTemplate.Substitution substitution = template.substitute(client);
        if (!substitution.grantsSomething()) {
            return named + " grants this client nothing: " + substitution.problem() + ".";
        }
        String filter = substitution.filter();
        String resolved = template.hasVariables() ? named + " -> " + Reasons.quote(filter) : named;
        if (direction == Permission.Publisher) {
            return resolved + (Topics.matches(filter, checked) ? " matches " : " does not match ")
                    + Reasons.quote(checked) + ".";
        }
        if (TopicCoverage.covers(filter, checked)) {
            return resolved + " covers " + Reasons.quote(checked) + ".";
        }
        if (TopicCoverage.overlaps(filter, checked)) {
            return resolved + " matches only some topics of " + Reasons.quote(checked) + ", so it does not cover it.";
        }
        return resolved + " does not match " + Reasons.quote(checked) + ".";
    }

    private static AccessExplanation finish(AccessDecision decision, List<String> lines) {
        if (decision.allowed()) {
            lines.add("Decision: allowed by binding '" + decision.bindingName() + "', topic space '"
                    + decision.topicSpaceName() + "', template " + Reasons.quote(decision.template()) + ".");
        } else {
            lines.add("Decision: denied: " + decision.reason() + ".");
        }
        return new AccessExplanation(decision, lines);
    }
}
