package io.portcullis.authorization;

import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;
import io.portcullis.registry.ValidationScheme;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for clients and registries used across the authorization tests. */
final class TestRegistries {

    private TestRegistries() {
    }

    /** A client; attributes alternate key, value (String, Integer/Long, or List of String). */
    static Client client(String name, String authenticationName, Object... attributes) {
        return client(name, authenticationName, ClientState.Enabled, attributes);
    }

    static Client client(String name, String authenticationName, ClientState state, Object... attributes) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            values.put((String) attributes[i], value(attributes[i + 1]));
        }
        return new Client(name, authenticationName, ValidationScheme.SubjectMatchesAuthenticationName, List.of(),
                state, values, "");
    }

    @SuppressWarnings("unchecked")
    private static AttributeValue value(Object value) {
        if (value instanceof String text) {
            return new AttributeValue.Text(text);
        }
        if (value instanceof Number number) {
            return new AttributeValue.Integer(number.longValue());
        }
        return new AttributeValue.TextArray((List<String>) value);
    }

    static ClientGroup group(String name, String query) {
        return new ClientGroup(name, query, "");
    }

    static TopicSpace space(String name, String... templates) {
        return new TopicSpace(name, List.of(templates), "");
    }

    static PermissionBinding binding(String name, String group, String space, Permission permission) {
        return new PermissionBinding(name, group, space, permission, "");
    }

    static Registry registry(List<Client> clients, List<ClientGroup> groups, List<TopicSpace> spaces,
                             List<PermissionBinding> bindings) {
        return new Registry(NamespaceSettings.DEFAULTS, List.of(), clients, groups, spaces, bindings);
    }
}
