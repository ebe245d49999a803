package io.portcullis.protocol;

import io.portcullis.config.MqttSettings;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.MutableClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A broker context with fakes for authentication and authorization, and a registry tests can change. */
final class TestBroker {
    final MutableClock clock = new MutableClock(1_700_000_000_000L);
    final FakeAuthenticator authenticator = new FakeAuthenticator();
    final RegistryHolder registry;
    final BrokerContext context;
    private final List<Client> clients = new ArrayList<>();
    private int maximumSessionsPerName;

    TestBroker() {
        this(MqttSettings.DEFAULTS, 10);
    }

    TestBroker(MqttSettings settings, int maximumSessionsPerName) {
        this.maximumSessionsPerName = maximumSessionsPerName;
        clients.add(client("alice", List.of("#"), List.of("#")));
        clients.add(client("bob", List.of("#"), List.of("#")));
        clients.add(client("carol", List.of("carol/#"), List.of("carol/#", "shared/#")));
        clients.add(client("nobody", List.of(), List.of()));
        registry = new RegistryHolder(snapshot());
        context = new BrokerContext(settings, registry, authenticator, new FakePermissionEvaluator(), clock,
                channel -> List.of());
    }

    static Client client(String name, List<String> publish, List<String> subscribe) {
        return new Client(name, name, ValidationScheme.SubjectMatchesAuthenticationName, List.of(),
                ClientState.Enabled, Map.of("publish", new AttributeValue.TextArray(publish),
                "subscribe", new AttributeValue.TextArray(subscribe)), "");
    }

    private Registry snapshot() {
        return new Registry(new NamespaceSettings(List.of(), maximumSessionsPerName), List.of(), clients, List.of(),
                List.of(), List.of());
    }

    /** Replaces (or adds) a client and publishes the new snapshot. */
    void putClient(Client client) {
        clients.removeIf(c -> c.name().equals(client.name()));
        clients.add(client);
        registry.replace(snapshot());
    }

    void removeClient(String name) {
        clients.removeIf(c -> c.name().equals(name));
        registry.replace(snapshot());
    }

    TestClient newClient() {
        return new TestClient(context);
    }
}
