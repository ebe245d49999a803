package io.portcullis.config;

import io.portcullis.auth.SubjectNameMatch;
import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;

import java.util.List;
import java.util.Objects;

/**
 * Everything one configuration file says: listeners, TLS material, MQTT settings, namespace settings
 * and the registry's initial content. Immutable; built by {@link ConfigLoader}, written back by
 * {@link ConfigWriter}.
 *
 * @param subjectNameMatch how certificate subjects are compared with authentication names
 *                         ({@code namespace.subjectNameMatch} in the file)
 * @param storage          where sessions and retained messages are kept; a file without a {@code storage}
 *                         section gets RocksDB in {@code ./data}, a configuration built in code with the
 *                         ten-argument constructor gets {@link StorageConfig#MEMORY}
 * @param revocation       how client certificates are checked for revocation
 * @param admin            the admin API listener and its own trust
 */
public record BrokerConfig(ListenersConfig listeners, TlsConfig tls, MqttSettings mqtt, NamespaceSettings namespace,
                           SubjectNameMatch subjectNameMatch, List<CaCertificateConfig> caCertificates,
                           List<Client> clients, List<ClientGroup> clientGroups, List<TopicSpace> topicSpaces,
                           List<PermissionBinding> permissionBindings, StorageConfig storage,
                           RevocationConfig revocation, AdminConfig admin) {
    public BrokerConfig {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(revocation, "revocation");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(subjectNameMatch, "subjectNameMatch");
        caCertificates = List.copyOf(caCertificates);
        clients = List.copyOf(clients);
        clientGroups = List.copyOf(clientGroups);
        topicSpaces = List.copyOf(topicSpaces);
        permissionBindings = List.copyOf(permissionBindings);
    }

    /** A configuration without revocation checking or admin API. */
    public BrokerConfig(ListenersConfig listeners, TlsConfig tls, MqttSettings mqtt, NamespaceSettings namespace,
                        SubjectNameMatch subjectNameMatch, List<CaCertificateConfig> caCertificates,
                        List<Client> clients, List<ClientGroup> clientGroups, List<TopicSpace> topicSpaces,
                        List<PermissionBinding> permissionBindings, StorageConfig storage) {
        this(listeners, tls, mqtt, namespace, subjectNameMatch, caCertificates, clients, clientGroups, topicSpaces,
                permissionBindings, storage, RevocationConfig.DISABLED, AdminConfig.DISABLED);
    }

    /** A configuration that keeps sessions and retained messages in memory. */
    public BrokerConfig(ListenersConfig listeners, TlsConfig tls, MqttSettings mqtt, NamespaceSettings namespace,
                        SubjectNameMatch subjectNameMatch, List<CaCertificateConfig> caCertificates,
                        List<Client> clients, List<ClientGroup> clientGroups, List<TopicSpace> topicSpaces,
                        List<PermissionBinding> permissionBindings) {
        this(listeners, tls, mqtt, namespace, subjectNameMatch, caCertificates, clients, clientGroups, topicSpaces,
                permissionBindings, StorageConfig.MEMORY);
    }

    /** This configuration with other storage settings. */
    public BrokerConfig withStorage(StorageConfig newStorage) {
        return new BrokerConfig(listeners, tls, mqtt, namespace, subjectNameMatch, caCertificates, clients,
                clientGroups, topicSpaces, permissionBindings, newStorage, revocation, admin);
    }

    /** This configuration with other TLS settings. */
    public BrokerConfig withTls(TlsConfig newTls) {
        return new BrokerConfig(listeners, newTls, mqtt, namespace, subjectNameMatch, caCertificates, clients,
                clientGroups, topicSpaces, permissionBindings, storage, revocation, admin);
    }

    /** This configuration with other listeners. */
    public BrokerConfig withListeners(ListenersConfig newListeners) {
        return new BrokerConfig(newListeners, tls, mqtt, namespace, subjectNameMatch, caCertificates, clients,
                clientGroups, topicSpaces, permissionBindings, storage, revocation, admin);
    }

    /** This configuration with other revocation settings. */
    public BrokerConfig withRevocation(RevocationConfig newRevocation) {
        return new BrokerConfig(listeners, tls, mqtt, namespace, subjectNameMatch, caCertificates, clients,
                clientGroups, topicSpaces, permissionBindings, storage, newRevocation, admin);
    }

    /** This configuration with other admin API settings. */
    public BrokerConfig withAdmin(AdminConfig newAdmin) {
        return new BrokerConfig(listeners, tls, mqtt, namespace, subjectNameMatch, caCertificates, clients,
                clientGroups, topicSpaces, permissionBindings, storage, revocation, newAdmin);
    }

    /** The registry snapshot this configuration describes. */
    public Registry toRegistry() {
        List<CaCertificate> cas = caCertificates.stream().map(CaCertificateConfig::toRegistryEntry).toList();
        return new Registry(namespace, cas, clients, clientGroups, topicSpaces, permissionBindings);
    }
}
