package io.portcullis.authorization;

import io.portcullis.logging.LogText;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registry snapshot with its group queries and topic templates parsed once, and a cache of
 * {@link GrantIndex}es per direction keyed by the set of bindings that apply to a client. Parts that
 * do not parse (the configuration loader should have refused them, see {@link RegistryRules}) are
 * logged once and grant nothing. Thread-safe: immutable apart from the concurrent index cache.
 */
final class CompiledRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledRegistry.class);
    private static final int ALL_CLIENTS = -1;
    private static final int NO_GROUP = -2;

    private final Registry registry;
    private final GroupQuery[] groupQueries;
    private final Binding[] bindings;
    private final BitSet publisherBindings = new BitSet();
    private final ConcurrentHashMap<BitSet, GrantIndex> publishIndexes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BitSet, GrantIndex> subscribeIndexes = new ConcurrentHashMap<>();

    CompiledRegistry(Registry registry) {
        this.registry = registry;
        // Only groups that some binding names matter for permissions; the others are never evaluated.
        Map<String, Integer> groupIndexes = new HashMap<>();
        List<GroupQuery> queries = new ArrayList<>();
        Map<String, List<TopicTemplate>> templates = new HashMap<>();
        List<Binding> compiled = new ArrayList<>();
        for (PermissionBinding binding : registry.permissionBindings().values()) {
            String groupName = binding.clientGroupName();
            int group;
            if (groupName.equals(ClientGroup.ALL)) {
                group = ALL_CLIENTS;
            } else if (groupIndexes.containsKey(groupName)) {
                group = groupIndexes.get(groupName);
            } else {
                GroupQuery query = compileQuery(registry.clientGroups().get(groupName), binding);
                group = query == null ? NO_GROUP : queries.size();
                if (query != null) {
                    queries.add(query);
                }
                groupIndexes.put(groupName, group);
            }
            List<TopicTemplate> spaceTemplates = templates.computeIfAbsent(binding.topicSpaceName(),
                    name -> compileTemplates(registry.topicSpaces().get(name), binding));
            compiled.add(new Binding(binding.name(), binding.topicSpaceName(), binding.permission(), group,
                    spaceTemplates));
        }
        this.groupQueries = queries.toArray(new GroupQuery[0]);
        this.bindings = compiled.toArray(new Binding[0]);
        for (int b = 0; b < bindings.length; b++) {
            publisherBindings.set(b, bindings[b].permission() == Permission.Publisher);
        }
    }

    private static GroupQuery compileQuery(ClientGroup group, PermissionBinding binding) {
        if (group == null) {
            LOG.warn("Permission binding names a missing client group and grants nothing: binding={} group={}",
                    LogText.token(binding.name()), LogText.token(binding.clientGroupName()));
            return null;
        }
        try {
            return GroupQuery.parse(group.query());
        } catch (QueryParseException e) {
            LOG.warn("Client group query does not parse; the group holds no client: group={} position={} "
                    + "expected=\"{}\" found=\"{}\"", LogText.token(group.name()), e.position(),
                    LogText.safe(e.expected()), LogText.safe(e.found()));
            return null;
        }
    }

    private static List<TopicTemplate> compileTemplates(TopicSpace space, PermissionBinding binding) {
        if (space == null) {
            LOG.warn("Permission binding names a missing topic space and grants nothing: binding={} topicSpace={}",
                    LogText.token(binding.name()), LogText.token(binding.topicSpaceName()));
            return List.of();
        }
        List<TopicTemplate> templates = new ArrayList<>();
        for (String source : space.topicTemplates()) {
            try {
                templates.add(TopicTemplate.parse(source));
            } catch (TemplateParseException e) {
                LOG.warn("Topic template is not valid and grants nothing: topicSpace={} template={} position={} "
                        + "problem=\"{}\"", LogText.token(space.name()), LogText.token(source), e.position(),
                        LogText.safe(e.problem()));
            }
        }
        return List.copyOf(templates);
    }

    Registry registry() {
        return registry;
    }

    /** The indexes (in registry order) of the bindings whose client group holds the client. */
    BitSet applicableBindings(Client client) {
        // 0 = not evaluated yet, 1 = member, 2 = not a member.
        byte[] membership = new byte[groupQueries.length];
        BitSet applicable = new BitSet(bindings.length);
        for (int b = 0; b < bindings.length; b++) {
            int group = bindings[b].group();
            boolean member;
            if (group == ALL_CLIENTS) {
                member = true;
            } else if (group == NO_GROUP) {
                member = false;
            } else {
                if (membership[group] == 0) {
                    membership[group] = (byte) (groupQueries[group].matches(client) ? 1 : 2);
                }
                member = membership[group] == 1;
            }
            if (member) {
                applicable.set(b);
            }
        }
        return applicable;
    }

    /**
     * The shared index of one direction for a set of applicable bindings (of both directions), built
     * on first use. Indexes are per direction so that clients whose publish bindings differ still
     * share one subscribe index, and the reverse.
     */
    GrantIndex index(BitSet applicable, Permission permission) {
        BitSet key = (BitSet) applicable.clone();
        if (permission == Permission.Publisher) {
            key.and(publisherBindings);
        } else {
            key.andNot(publisherBindings);
        }
        ConcurrentHashMap<BitSet, GrantIndex> indexes =
                permission == Permission.Publisher ? publishIndexes : subscribeIndexes;
        GrantIndex index = indexes.get(key);
        return index != null ? index : indexes.computeIfAbsent(key, k -> new GrantIndex(bindings, k, permission));
    }

    /** A permission binding with its group resolved to an index and its topic space's parsed templates. */
    record Binding(String name, String topicSpaceName, Permission permission, int group,
                   List<TopicTemplate> templates) {
    }
}
