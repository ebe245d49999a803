package io.portcullis.broker;

import io.portcullis.config.BrokerConfig;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.TopicSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A device fleet on the dev PKI's clients for integration tests: client-1 and client-2 are devices of fleet
 * "north" that may publish only {@code devices/<own name>/telemetry} and {@code fleets/<own fleet>/status},
 * and subscribe only to {@code devices/<own name>/commands/#}; client-3 is a back-end service that reads
 * all telemetry and sends commands to every device. Membership comes from attribute queries.
 */
final class FleetConfiguration {
    static final String DEVICE_A = "client-1";
    static final String DEVICE_B = "client-2";
    static final String SERVICE = "client-3";

    private FleetConfiguration() {
    }

    static BrokerConfig apply(BrokerConfig dev) {
        List<Client> clients = new ArrayList<>();
        for (Client client : dev.clients()) {
            Map<String, AttributeValue> attributes = switch (client.name()) {
                case DEVICE_A, DEVICE_B -> Map.of("role", new AttributeValue.Text("device"),
                        "fleet", new AttributeValue.Text("north"));
                case SERVICE -> Map.of("role", new AttributeValue.Text("service"));
                default -> Map.of();
            };
            clients.add(new Client(client.name(), client.authenticationName(), client.validationScheme(),
                    client.allowedThumbprints(), client.state(), attributes, client.description()));
        }
        List<ClientGroup> groups = List.of(
                new ClientGroup("devices", "attributes.role = 'device'", "Every device"),
                new ClientGroup("services", "attributes.role IN ['service', 'operator']", "Back-end services"));
        List<TopicSpace> spaces = List.of(
                new TopicSpace("own-telemetry", List.of("devices/${client.authenticationName}/telemetry"), ""),
                new TopicSpace("fleet-status", List.of("fleets/${client.attributes.fleet}/status"), ""),
                new TopicSpace("own-commands", List.of("devices/${client.authenticationName}/commands/#"), ""),
                new TopicSpace("all-telemetry", List.of("devices/+/telemetry"), ""),
                new TopicSpace("all-commands", List.of("devices/+/commands/#"), ""));
        List<PermissionBinding> bindings = List.of(
                new PermissionBinding("devices-send-telemetry", "devices", "own-telemetry", Permission.Publisher, ""),
                new PermissionBinding("devices-send-status", "devices", "fleet-status", Permission.Publisher, ""),
                new PermissionBinding("devices-get-commands", "devices", "own-commands", Permission.Subscriber, ""),
                new PermissionBinding("services-read-telemetry", "services", "all-telemetry", Permission.Subscriber,
                        ""),
                new PermissionBinding("services-send-commands", "services", "all-commands", Permission.Publisher,
                        ""));
        return new BrokerConfig(dev.listeners(), dev.tls(), dev.mqtt(), dev.namespace(), dev.subjectNameMatch(),
                dev.caCertificates(), clients, groups, spaces, bindings);
    }
}
