package io.portcullis.protocol;

import io.portcullis.authorization.AccessDecision;
import io.portcullis.authorization.ClientPermissions;
import io.portcullis.authorization.PermissionEvaluator;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;
import io.portcullis.topic.Topics;

import java.util.List;

/**
 * Grants what a client's attributes list: {@code publish} and {@code subscribe}, arrays of topic filters.
 * Subscribe coverage is simplified to equal filters and trailing-{@code #} prefixes, enough for tests.
 */
final class FakePermissionEvaluator implements PermissionEvaluator {

    @Override
    public ClientPermissions permissionsFor(Client client, Registry registry) {
        List<String> publish = filters(client, "publish");
        List<String> subscribe = filters(client, "subscribe");
        return new ClientPermissions() {
            @Override
            public AccessDecision checkPublish(String topic) {
                if (!topic.startsWith("$")) {
                    for (String filter : publish) {
                        if (Topics.matches(filter, topic)) {
                            return AccessDecision.allow("binding", "space", filter);
                        }
                    }
                }
                return AccessDecision.deny("no publisher binding matches " + topic);
            }

            @Override
            public AccessDecision checkSubscribe(String filter) {
                for (String template : subscribe) {
                    if (covers(template, filter)) {
                        return AccessDecision.allow("binding", "space", template);
                    }
                }
                return AccessDecision.deny("no subscriber binding covers " + filter);
            }

            @Override
            public boolean hasAnyPermission() {
                return !publish.isEmpty() || !subscribe.isEmpty();
            }
        };
    }

    private static boolean covers(String template, String filter) {
        if (template.equals(filter) || template.equals("#")) {
            return true;
        }
        if (template.endsWith("/#")) {
            String parent = template.substring(0, template.length() - 2);
            return filter.equals(parent) || filter.startsWith(parent + "/");
        }
        return !Topics.hasWildcard(filter) && Topics.matches(template, filter);
    }

    private static List<String> filters(Client client, String key) {
        AttributeValue value = client.attributes().get(key);
        return value instanceof AttributeValue.TextArray array ? array.values() : List.of();
    }
}
