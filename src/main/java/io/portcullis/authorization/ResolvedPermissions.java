package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.topic.Topics;

/**
 * One enabled client's rights under one registry snapshot: per direction, the shared
 * {@link GrantIndex} of the bindings whose groups hold the client, and the client's own values for
 * the variables that index uses. Immutable and thread-safe.
 */
final class ResolvedPermissions implements ClientPermissions {
    private static final AccessDecision DENY_RESERVED = AccessDecision.deny(Reasons.RESERVED);
    private static final AccessDecision DENY_SHARED = AccessDecision.deny(Reasons.SHARED);
    private static final AccessDecision DENY_NO_PUBLISHER = AccessDecision.deny(
            "the client is not a member of any client group with a Publisher binding");
    private static final AccessDecision DENY_NO_SUBSCRIBER = AccessDecision.deny(
            "the client is not a member of any client group with a Subscriber binding");

    private final Side publish;
    private final Side subscribe;

    ResolvedPermissions(Side publish, Side subscribe) {
        this.publish = publish;
        this.subscribe = subscribe;
    }

    @Override
    public AccessDecision checkPublish(String topic) {
        if (topic.startsWith("$")) {
            return DENY_RESERVED;
        }
        String problem = Topics.validateName(topic, Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (problem != null) {
            return AccessDecision.deny(Reasons.quote(topic) + " is not a valid topic name: " + problem);
        }
        if (publish.index.bindingCount() == 0) {
            return DENY_NO_PUBLISHER;
        }
        AccessDecision grant = publish.index.trie().findMatch(TopicCoverage.levels(topic), publish.values);
        if (grant != null) {
            return grant;
        }
        return AccessDecision.deny("no permission binding allows publishing to " + Reasons.quote(topic)
                + publish.unresolvedNote);
    }

    @Override
    public AccessDecision checkSubscribe(String topicFilter) {
        if (topicFilter.startsWith("$")) {
            return Topics.isShared(topicFilter) ? DENY_SHARED : DENY_RESERVED;
        }
        String problem = Topics.validateFilter(topicFilter, Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (problem != null) {
            return AccessDecision.deny(Reasons.quote(topicFilter) + " is not a valid topic filter: " + problem);
        }
        if (subscribe.index.bindingCount() == 0) {
            return DENY_NO_SUBSCRIBER;
        }
        String[] levels = TopicCoverage.levels(topicFilter);
        AccessDecision grant = subscribe.index.trie().findCover(levels, subscribe.values);
        if (grant != null) {
            return grant;
        }
        AccessDecision partial = subscribe.index.trie().findOverlap(levels, subscribe.values);
        if (partial != null) {
            return AccessDecision.deny(Reasons.templateOf(partial) + " does not cover every topic of "
                    + Reasons.quote(topicFilter) + "; subscribe to a narrower filter");
        }
        return AccessDecision.deny("no permission binding allows subscribing to " + Reasons.quote(topicFilter)
                + subscribe.unresolvedNote);
    }

    @Override
    public boolean hasAnyPermission() {
        return publish.grantsAnything || subscribe.grantsAnything;
    }

    /**
     * One direction for one client: the shared index, the client's values for its variables
     * ({@code null} where a variable did not resolve), and a note naming a template that grants this
     * client nothing, for denials.
     */
    static final class Side {
        private final GrantIndex index;
        private final String[] values;
        private final String unresolvedNote;
        private final boolean grantsAnything;

        private Side(GrantIndex index, String[] values, String unresolvedNote) {
            this.index = index;
            this.values = values;
            this.unresolvedNote = unresolvedNote;
            this.grantsAnything = index.grantsAnything(values);
        }

        /** Resolves the index's variables for the client. */
        static Side resolve(GrantIndex index, Client client) {
            TemplateVariable[] variables = index.variables();
            String[] values = new String[variables.length];
            String note = "";
            for (int i = 0; i < variables.length; i++) {
                TemplateVariable.Value value = variables[i].resolve(client);
                values[i] = value.value();
                if (!value.isResolved() && note.isEmpty()) {
                    note = "; " + Reasons.templateOf(index.firstUse(i)) + " grants this client nothing because "
                            + value.problem();
                }
            }
            return new Side(index, values, note);
        }
    }
}
