package io.portcullis.authorization;

import io.portcullis.topic.Topics;

/**
 * One enabled client's rights under one registry snapshot: the shared {@link GrantIndex} of the
 * bindings whose groups hold the client, and the client's own values for the variables that index
 * uses. Immutable and thread-safe.
 */
final class ResolvedPermissions implements ClientPermissions {
    private static final AccessDecision DENY_RESERVED = AccessDecision.deny(Reasons.RESERVED);
    private static final AccessDecision DENY_SHARED = AccessDecision.deny(Reasons.SHARED);
    private static final AccessDecision DENY_NO_PUBLISHER = AccessDecision.deny(
            "the client is not a member of any client group with a Publisher binding");
    private static final AccessDecision DENY_NO_SUBSCRIBER = AccessDecision.deny(
            "the client is not a member of any client group with a Subscriber binding");

    private final GrantIndex index;
    private final String[] values;
    private final String publishNote;
    private final String subscribeNote;
    private final boolean hasAnyPermission;

    ResolvedPermissions(GrantIndex index, String[] values, String[] problems) {
        this.index = index;
        this.values = values;
        this.publishNote = unresolvedNote(index.publish(), values, problems);
        this.subscribeNote = unresolvedNote(index.subscribe(), values, problems);
        this.hasAnyPermission = index.publish().grantsAnything(values) || index.subscribe().grantsAnything(values);
    }

    /** Names one template that grants nothing because a variable did not resolve, or {@code null}. */
    private static String unresolvedNote(GrantIndex.Direction direction, String[] values, String[] problems) {
        for (int variable = 0; variable < values.length; variable++) {
            GrantIndex.TemplateUse use = direction.firstUse(variable);
            if (values[variable] == null && use != null) {
                return "; " + Reasons.templateOf(use) + " grants this client nothing because "
                        + problems[variable];
            }
        }
        return "";
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
        GrantIndex.Direction direction = index.publish();
        if (direction.bindingCount() == 0) {
            return DENY_NO_PUBLISHER;
        }
        AccessDecision grant = direction.trie().findMatch(TopicCoverage.levels(topic), values);
        if (grant != null) {
            return grant;
        }
        return AccessDecision.deny("no permission binding allows publishing to " + Reasons.quote(topic)
                + publishNote);
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
        GrantIndex.Direction direction = index.subscribe();
        if (direction.bindingCount() == 0) {
            return DENY_NO_SUBSCRIBER;
        }
        String[] levels = TopicCoverage.levels(topicFilter);
        AccessDecision grant = direction.trie().findCover(levels, values);
        if (grant != null) {
            return grant;
        }
        AccessDecision partial = direction.trie().findOverlap(levels, values);
        if (partial != null) {
            return AccessDecision.deny(Reasons.templateOf(partial) + " does not cover every topic of "
                    + Reasons.quote(topicFilter) + "; subscribe to a narrower filter");
        }
        return AccessDecision.deny("no permission binding allows subscribing to " + Reasons.quote(topicFilter)
                + subscribeNote);
    }

    @Override
    public boolean hasAnyPermission() {
        return hasAnyPermission;
    }
}
