package io.portcullis.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.registry.AuthenticationNameSource;

import java.nio.file.Path;

/**
 * Writes a {@link BrokerConfig} as configuration file text that {@link ConfigLoader} reads back to an
 * equal configuration; the {@code dev} command uses it to write its file. Every setting is written,
 * defaults included, so the file documents what the broker runs with. File paths under the target
 * directory are written relative to it. Stateless and thread-safe.
 */
public final class ConfigWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // Text that looks like a number must stay text when read back (an attribute "3", a name "1234").
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private ConfigWriter() {
    }

    /**
     * The YAML text of {@code config}, for a file in {@code directory} (paths below it are written
     * relative to it, others absolute).
     */
    public static String toYaml(BrokerConfig config, Path directory) {
        Path base = directory.toAbsolutePath().normalize();
        ObjectNode root = NODES.objectNode();
        root.set("listeners", listeners(config.listeners()));
        root.set("tls", tls(config.tls(), base));
        root.set("mqtt", mqtt(config.mqtt()));
        StorageConfig storage = config.storage();
        root.putObject("storage").put("mode", storage.mode().configName())
                .put("dataDirectory", storage.dataDirectory().isAbsolute()
                        ? path(storage.dataDirectory(), base)
                        : storage.dataDirectory().toString().replace('\\', '/')).put("sync", storage.sync());
        root.set("revocation", revocation(config.revocation(), base));
        root.set("admin", admin(config.admin(), base));

        ObjectNode namespace = root.putObject("namespace");
        ArrayNode sources = namespace.putArray("alternativeAuthenticationNameSources");
        for (AuthenticationNameSource source : config.namespace().alternativeAuthenticationNameSources()) {
            sources.add(source.name());
        }
        namespace.put("maximumClientSessionsPerAuthenticationName",
                config.namespace().maximumClientSessionsPerAuthenticationName());
        namespace.put("subjectNameMatch", config.subjectNameMatch().name());

        ArrayNode cas = root.putArray("caCertificates");
        for (CaCertificateConfig ca : config.caCertificates()) {
            ObjectNode entry = cas.addObject().put("name", ca.name());
            putDescription(entry, ca.description());
            entry.put("certificate", ca.file() != null ? path(ca.file(), base)
                    : RegistryEntries.pem(ca.certificate()));
        }
        ArrayNode clients = root.putArray("clients");
        config.clients().forEach(client -> clients.add(RegistryEntries.client(client)));
        ArrayNode groups = root.putArray("clientGroups");
        config.clientGroups().forEach(group -> groups.add(RegistryEntries.clientGroup(group)));
        ArrayNode spaces = root.putArray("topicSpaces");
        config.topicSpaces().forEach(space -> spaces.add(RegistryEntries.topicSpace(space)));
        ArrayNode bindings = root.putArray("permissionBindings");
        config.permissionBindings().forEach(binding -> bindings.add(RegistryEntries.permissionBinding(binding)));

        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    private static ObjectNode listeners(ListenersConfig listeners) {
        ObjectNode node = NODES.objectNode();
        ListenerConfig mqtts = listeners.mqtts();
        node.putObject("mqtts").put("enabled", mqtts.enabled()).put("port", mqtts.port())
                .put("bindAddress", mqtts.bindAddress());
        WebSocketListenerConfig websocket = listeners.websocket();
        node.putObject("websocket").put("enabled", websocket.enabled()).put("port", websocket.port())
                .put("bindAddress", websocket.bindAddress()).put("path", websocket.path())
                .put("maxFrameSize", websocket.maxFrameSize());
        AcceptLimits limits = listeners.acceptLimits();
        node.putObject("acceptLimits").put("perSecond", limits.perSecond()).put("burst", limits.burst())
                .put("perSourcePerSecond", limits.perSourcePerSecond()).put("perSourceBurst", limits.perSourceBurst())
                .put("maximumHandshakesInProgress", limits.maximumHandshakesInProgress())
                .put("maximumHandshakesInProgressPerSource", limits.maximumHandshakesInProgressPerSource());
        return node;
    }

    private static ObjectNode tls(TlsConfig tls, Path base) {
        ObjectNode node = NODES.objectNode();
        node.put("engine", tls.engine().configName());
        node.put("handshakeTimeout", DurationText.format(tls.handshakeTimeout()));
        ArrayNode certificates = node.putArray("serverCertificates");
        for (ServerCertificateConfig certificate : tls.serverCertificates()) {
            certificates.addObject().put("certificate", path(certificate.certificate(), base))
                    .put("privateKey", path(certificate.privateKey(), base));
        }
        node.put("certificateExpiryWarning", DurationText.format(tls.certificateExpiryWarning()));
        SessionTicketConfig tickets = tls.sessionTickets();
        node.putObject("sessionTickets").put("enabled", tickets.enabled())
                .put("keyRotationInterval", DurationText.format(tickets.keyRotationInterval()))
                .put("lifetime", DurationText.format(tickets.lifetime()));
        OcspStaplingConfig stapling = tls.ocspStapling();
        node.putObject("ocspStapling").put("enabled", stapling.enabled())
                .put("responderUrl", stapling.responder() == null ? "" : stapling.responder().toString());
        return node;
    }

    private static ObjectNode revocation(RevocationConfig revocation, Path base) {
        ObjectNode node = NODES.objectNode();
        ArrayNode files = node.putArray("crlFiles");
        revocation.crlFiles().forEach(file -> files.add(path(file, base)));
        node.put("crlDistributionPoints", revocation.crlDistributionPoints())
                .put("crlCacheTime", DurationText.format(revocation.crlCacheTime()));
        node.putObject("ocsp").put("enabled", revocation.ocspEnabled())
                .put("responderUrl", revocation.ocspResponder() == null ? "" : revocation.ocspResponder().toString())
                .put("cacheTime", DurationText.format(revocation.ocspCacheTime()));
        node.put("fetchTimeout", DurationText.format(revocation.fetchTimeout()))
                .put("whenUnavailable", revocation.whenUnavailable().name())
                .put("liveSessionRecheckInterval", DurationText.format(revocation.liveSessionRecheckInterval()));
        return node;
    }

    private static ObjectNode admin(AdminConfig admin, Path base) {
        ObjectNode node = NODES.objectNode().put("enabled", admin.enabled()).put("bindAddress", admin.bindAddress())
                .put("port", admin.port());
        ArrayNode files = node.putArray("caCertificates");
        admin.caCertificateFiles().forEach(file -> files.add(path(file, base)));
        ArrayNode thumbprints = node.putArray("thumbprints");
        admin.thumbprints().forEach(thumbprints::add);
        return node;
    }

    private static ObjectNode mqtt(MqttSettings mqtt) {
        return NODES.objectNode()
                .put("maximumPacketSize", mqtt.maximumPacketSize())
                .put("maximumTopicLength", mqtt.maximumTopicLength())
                .put("maximumTopicLevels", mqtt.maximumTopicLevels())
                .put("maximumSubscriptionsPerSession", mqtt.maximumSubscriptionsPerSession())
                .put("maximumFiltersPerSubscribe", mqtt.maximumFiltersPerSubscribe())
                .put("maximumKeepAliveSeconds", mqtt.maximumKeepAliveSeconds())
                .put("connectTimeout", DurationText.format(mqtt.connectTimeout()))
                .put("maximumSessionExpirySeconds", mqtt.maximumSessionExpirySeconds())
                .put("receiveMaximum", mqtt.receiveMaximum())
                .put("maximumOutboundInflight", mqtt.maximumOutboundInflight())
                .put("topicAliasMaximum", mqtt.topicAliasMaximum())
                .put("maximumQueuedMessages", mqtt.maximumQueuedMessages())
                .put("maximumQueuedBytes", mqtt.maximumQueuedBytes())
                .put("queueOverflowPolicy", mqtt.queueOverflowPolicy().name())
                .put("slowSubscriberGracePeriod", DurationText.format(mqtt.slowSubscriberGracePeriod()))
                .put("maximumRetainedMessageSize", mqtt.maximumRetainedMessageSize())
                .put("maximumRetainedMessages", mqtt.maximumRetainedMessages())
                .put("sharedSubscriptionsEnabled", mqtt.sharedSubscriptionsEnabled());
    }

    private static void putDescription(ObjectNode entry, String description) {
        if (!description.isEmpty()) {
            entry.put("description", description);
        }
    }

    private static String path(Path file, Path base) {
        Path absolute = file.toAbsolutePath().normalize();
        Path written = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
        return written.toString().replace('\\', '/');
    }
}
