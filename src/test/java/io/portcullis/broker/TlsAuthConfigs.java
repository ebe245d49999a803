package io.portcullis.broker;

import io.portcullis.config.BrokerConfig;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.config.MqttSettings;
import io.portcullis.config.TlsConfig;
import io.portcullis.registry.Client;
import io.portcullis.registry.NamespaceSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Configuration edits for {@code RunningBroker.start(directory, customizer)} in the TLS and authentication
 * integration tests: each returns a customizer that changes one part of a {@link BrokerConfig} and keeps
 * the rest. Stateless.
 */
final class TlsAuthConfigs {
    private TlsAuthConfigs() {
    }

    static UnaryOperator<BrokerConfig> withTimeouts(Duration handshakeTimeout, Duration connectTimeout) {
        return config -> {
            TlsConfig tls = new TlsConfig(config.tls().engine(), handshakeTimeout, config.tls().serverCertificates());
            MqttSettings m = config.mqtt();
            MqttSettings mqtt = new MqttSettings(m.maximumPacketSize(), m.maximumTopicLength(),
                    m.maximumTopicLevels(), m.maximumSubscriptionsPerSession(), m.maximumFiltersPerSubscribe(),
                    m.maximumKeepAliveSeconds(), connectTimeout, m.maximumSessionExpirySeconds(), m.receiveMaximum(),
                    m.maximumOutboundInflight(), m.topicAliasMaximum(), m.maximumQueuedMessages(),
                    m.maximumQueuedBytes(), m.queueOverflowPolicy(), m.slowSubscriberGracePeriod(),
                    m.maximumRetainedMessageSize(), m.maximumRetainedMessages(), m.sharedSubscriptionsEnabled());
            return new BrokerConfig(config.listeners(), tls, mqtt, config.namespace(), config.subjectNameMatch(),
                    config.caCertificates(), config.clients(), config.clientGroups(), config.topicSpaces(),
                    config.permissionBindings());
        };
    }

    static UnaryOperator<BrokerConfig> withNamespace(NamespaceSettings namespace) {
        return config -> new BrokerConfig(config.listeners(), config.tls(), config.mqtt(), namespace,
                config.subjectNameMatch(), config.caCertificates(), config.clients(), config.clientGroups(),
                config.topicSpaces(), config.permissionBindings());
    }

    static UnaryOperator<BrokerConfig> withCaCertificates(List<CaCertificateConfig> cas) {
        return config -> new BrokerConfig(config.listeners(), config.tls(), config.mqtt(), config.namespace(),
                config.subjectNameMatch(), cas, config.clients(), config.clientGroups(), config.topicSpaces(),
                config.permissionBindings());
    }

    static UnaryOperator<BrokerConfig> withExtraClients(List<Client> extra) {
        return config -> {
            List<Client> clients = new ArrayList<>(config.clients());
            clients.addAll(extra);
            return new BrokerConfig(config.listeners(), config.tls(), config.mqtt(), config.namespace(),
                    config.subjectNameMatch(), config.caCertificates(), clients, config.clientGroups(),
                    config.topicSpaces(), config.permissionBindings());
        };
    }
}
