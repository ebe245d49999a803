package io.portcullis.registry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable, consistent snapshot of the namespace: settings, CA certificates, clients, client
 * groups, topic spaces and permission bindings. A change makes a new snapshot; readers on any thread
 * hold whichever snapshot they fetched and never see a half-applied change.
 */
public final class Registry {
    public static final Registry EMPTY = new Registry(NamespaceSettings.DEFAULTS, List.of(), List.of(), List.of(),
            List.of(), List.of());

    private final NamespaceSettings settings;
    private final Map<String, CaCertificate> caCertificates;
    private final Map<String, Client> clients;
    private final Map<String, Client> clientsByAuthenticationName;
    private final Map<String, ClientGroup> clientGroups;
    private final Map<String, TopicSpace> topicSpaces;
    private final Map<String, PermissionBinding> permissionBindings;

    public Registry(NamespaceSettings settings, List<CaCertificate> caCertificates, List<Client> clients,
                    List<ClientGroup> clientGroups, List<TopicSpace> topicSpaces,
                    List<PermissionBinding> permissionBindings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.caCertificates = index(caCertificates, CaCertificate::name);
        this.clients = index(clients, Client::name);
        this.clientGroups = index(clientGroups, ClientGroup::name);
        this.topicSpaces = index(topicSpaces, TopicSpace::name);
        this.permissionBindings = index(permissionBindings, PermissionBinding::name);
        Map<String, Client> byName = new HashMap<>();
        for (Client client : clients) {
            byName.put(foldCase(client.authenticationName()), client);
        }
        this.clientsByAuthenticationName = Map.copyOf(byName);
    }

    /** Authentication names compare case-insensitively (SPEC 2.2). */
    public static String foldCase(String authenticationName) {
        return authenticationName.toLowerCase(Locale.ROOT);
    }

    private static <T> Map<String, T> index(List<T> values, java.util.function.Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T value : values) {
            map.put(key.apply(value), value);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    public NamespaceSettings settings() {
        return settings;
    }

    public Map<String, CaCertificate> caCertificates() {
        return caCertificates;
    }

    public Map<String, Client> clients() {
        return clients;
    }

    /** The client registered under an authentication name, compared case-insensitively, or {@code null}. */
    public Client clientByAuthenticationName(String authenticationName) {
        return clientsByAuthenticationName.get(foldCase(authenticationName));
    }

    public Map<String, ClientGroup> clientGroups() {
        return clientGroups;
    }

    public Map<String, TopicSpace> topicSpaces() {
        return topicSpaces;
    }

    public Map<String, PermissionBinding> permissionBindings() {
        return permissionBindings;
    }
}
