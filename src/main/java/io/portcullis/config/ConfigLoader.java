package io.portcullis.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.auth.SubjectNameMatch;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.TopicSpace;
import org.bouncycastle.util.IPAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads the broker's one YAML configuration file into a {@link BrokerConfig} and the initial
 * {@link io.portcullis.registry.Registry}. Every problem in the file is collected and reported
 * together in one {@link ConfigException}, each naming the file, the key path and the fix. Relative
 * file paths resolve against the configuration file's directory; unknown keys are errors. Client
 * group queries and topic templates are kept as text and checked only through the
 * {@link SyntaxCheck}s given to the constructor. Thread-safe; used at start-up and on reload.
 */
public final class ConfigLoader {
    /** Upper bound of {@code namespace.maximumClientSessionsPerAuthenticationName} (SPEC 2.4 asks for 100+). */
    public static final int MAXIMUM_SESSIONS_PER_AUTHENTICATION_NAME = 1000;

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();

    private final SyntaxCheck queryCheck;
    private final SyntaxCheck templateCheck;
    private final Clock clock;

    /** A loader that stores queries and templates without checking their syntax. */
    public ConfigLoader() {
        this(SyntaxCheck.ACCEPT_ALL, SyntaxCheck.ACCEPT_ALL, Clock.systemUTC());
    }

    /**
     * @param queryCheck    checks each client group query (SPEC 3.2)
     * @param templateCheck checks each topic template (SPEC 3.3)
     * @param clock         the time server certificates must be valid at
     */
    public ConfigLoader(SyntaxCheck queryCheck, SyntaxCheck templateCheck, Clock clock) {
        this.queryCheck = Objects.requireNonNull(queryCheck, "queryCheck");
        this.templateCheck = Objects.requireNonNull(templateCheck, "templateCheck");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads and validates a configuration file. */
    public LoadedConfig load(Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), "(file)",
                    "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "check the path and that the broker's user may read it")));
        }
        return parse(text, absolute.getParent(), file);
    }

    /**
     * Validates configuration text as if it were the file {@code source}, resolving relative paths
     * against {@code baseDirectory}.
     */
    public LoadedConfig parse(String yaml, Path baseDirectory, Path source) throws ConfigException {
        Problems problems = new Problems(source.toString());
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(YamlSyntaxProblem.of(source.toString(), e)));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(List.of(new ConfigProblem(source.toString(), "(document)", "is empty",
                    "start from the file 'portcullis dev' writes, or the example in docs")));
        }

        Section root = Section.of(tree, "", problems);
        LifecycleSectionReader lifecycle = new LifecycleSectionReader(baseDirectory);
        ListenersConfig listeners = listeners(root.section("listeners"), lifecycle);
        if (!root.has("tls")) {
            problems.add("tls", "is required", "add a tls section with serverCertificates: one EC P-384 and one"
                    + " RSA 2048 certificate with their private keys");
        }
        TlsConfig tls = tls(root.section("tls"), baseDirectory, lifecycle);
        MqttSettings mqtt = mqtt(root.section("mqtt"));
        Section namespaceSection = root.section("namespace");
        NamespaceSettings namespace = namespace(namespaceSection);
        SubjectNameMatch subjectNameMatch = namespaceSection.choice("subjectNameMatch", SubjectNameMatch.class,
                Enum::name, SubjectNameMatch.CommonName);
        namespaceSection.rejectUnknownKeys();

        RegistrySectionReader registryReader = new RegistrySectionReader(baseDirectory, queryCheck, templateCheck);
        List<CaCertificateConfig> caCertificates = registryReader.caCertificates(root);
        List<Client> clients = registryReader.clients(root);
        List<ClientGroup> clientGroups = registryReader.clientGroups(root);
        List<TopicSpace> topicSpaces = registryReader.topicSpaces(root);
        List<PermissionBinding> bindings = registryReader.permissionBindings(root);
        StorageConfig storage = storage(root.section("storage"), baseDirectory);
        RevocationConfig revocation = lifecycle.revocation(root.section("revocation"));
        AdminConfig admin = admin(root.section("admin"), lifecycle, listeners, caCertificates);
        root.rejectUnknownKeys();

        if (!problems.isEmpty()) {
            throw new ConfigException(problems.all());
        }
        BrokerConfig config = new BrokerConfig(listeners, tls, mqtt, namespace, subjectNameMatch, caCertificates,
                clients, clientGroups, topicSpaces, bindings, storage, revocation, admin);
        return new LoadedConfig(source, config, config.toRegistry());
    }

    private static AdminConfig admin(Section section, LifecycleSectionReader lifecycle, ListenersConfig listeners,
                                     List<CaCertificateConfig> deviceCas) {
        AdminConfig admin = lifecycle.admin(section, deviceCas);
        if (!IPAddress.isValid(admin.bindAddress())) {
            section.problems().add(section.key("bindAddress"), notAnIpAddress(admin.bindAddress()),
                    "write one of this host's IP addresses, such as 127.0.0.1 (the default, loopback only)");
        }
        if (admin.enabled() && admin.port() != 0 && (listeners.mqtts().enabled()
                && admin.port() == listeners.mqtts().port() || listeners.websocket().enabled()
                && admin.port() == listeners.websocket().port())) {
            section.problems().add(section.key("port"), "is the same port as an MQTT listener (" + admin.port() + ")",
                    "give the admin API its own port, for example " + AdminConfig.DEFAULT_PORT);
        }
        return admin;
    }

    private ListenersConfig listeners(Section section, LifecycleSectionReader lifecycle) {
        ListenerConfig mqttsDefaults = ListenerConfig.MQTTS_DEFAULTS;
        Section mqttsSection = section.section("mqtts");
        ListenerConfig mqtts = new ListenerConfig(mqttsSection.bool("enabled", mqttsDefaults.enabled()),
                bindAddress(mqttsSection, mqttsDefaults.bindAddress()),
                (int) mqttsSection.number("port", 0, 65_535, mqttsDefaults.port()));
        mqttsSection.rejectUnknownKeys();

        WebSocketListenerConfig webDefaults = WebSocketListenerConfig.DEFAULTS;
        Section webSection = section.section("websocket");
        String path = webSection.text("path", webDefaults.path());
        if (!path.startsWith("/")) {
            webSection.problems().add(webSection.key("path"), "'" + path + "' does not start with '/'",
                    "write the HTTP path of the WebSocket endpoint, for example /mqtt");
            path = webDefaults.path();
        }
        WebSocketListenerConfig websocket = new WebSocketListenerConfig(
                webSection.bool("enabled", webDefaults.enabled()),
                bindAddress(webSection, webDefaults.bindAddress()),
                (int) webSection.number("port", 0, 65_535, webDefaults.port()), path,
                (int) webSection.number("maxFrameSize", 1024, 268_435_455, webDefaults.maxFrameSize()));
        webSection.rejectUnknownKeys();
        AcceptLimits acceptLimits = lifecycle.acceptLimits(section.section("acceptLimits"));
        section.rejectUnknownKeys();

        if (!mqtts.enabled() && !websocket.enabled()) {
            section.problems().add(section.path(), "both listeners are disabled, so no client could connect",
                    "set enabled: true on listeners.mqtts or listeners.websocket");
        } else if (mqtts.enabled() && websocket.enabled() && mqtts.port() != 0 && mqtts.port() == websocket.port()
                && mqtts.bindAddress().equals(websocket.bindAddress())) {
            section.problems().add(section.key("websocket.port"), "is the same port as listeners.mqtts.port ("
                    + mqtts.port() + ")", "give each listener its own port, for example 8883 and 443 (or 8443)");
        }
        return new ListenersConfig(mqtts, websocket, acceptLimits);
    }

    /**
     * A listener's address: an IPv4 or IPv6 literal. Host names are refused rather than looked up, so that
     * what the broker binds does not depend on DNS at start-up and a typo fails here, not at bind.
     */
    private static String bindAddress(Section section, String defaultValue) {
        String address = section.text("bindAddress", defaultValue);
        if (!IPAddress.isValid(address)) {
            section.problems().add(section.key("bindAddress"), notAnIpAddress(address), "write one of this"
                    + " host's IP addresses, 0.0.0.0 (all IPv4 addresses), :: (all addresses) or 127.0.0.1");
            return defaultValue;
        }
        return address;
    }

    private static String notAnIpAddress(String address) {
        return "'" + address + "' is not an IPv4 or IPv6 address (host names such as localhost are not"
                + " looked up)";
    }

    private TlsConfig tls(Section section, Path baseDirectory, LifecycleSectionReader lifecycle) {
        TlsEngine engine = section.choice("engine", TlsEngine.class, TlsEngine::configName, TlsEngine.AUTO);
        Duration handshakeTimeout = section.duration("handshakeTimeout", Duration.ofSeconds(1),
                Duration.ofMinutes(5), TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        String listKey = section.key("serverCertificates");
        List<ServerCertificateConfig> certificates = new ArrayList<>();
        List<JsonNode> items = section.list("serverCertificates");
        ServerCertificateReader reader = new ServerCertificateReader(baseDirectory, clock);
        for (int i = 0; i < items.size(); i++) {
            Section entry = Section.of(items.get(i), listKey + "[" + i + "]", section.problems());
            ServerCertificateConfig certificate = reader.read(entry);
            entry.rejectUnknownKeys();
            if (certificate != null) {
                certificates.add(certificate);
            }
        }
        Duration expiryWarning = lifecycle.expiryWarning(section);
        SessionTicketConfig sessionTickets = lifecycle.sessionTickets(section.section("sessionTickets"));
        OcspStaplingConfig stapling = lifecycle.ocspStapling(section.section("ocspStapling"));
        section.rejectUnknownKeys();

        int readable = certificates.size();
        Map<ServerKeyType, Integer> counts = new EnumMap<>(ServerKeyType.class);
        for (ServerCertificateConfig certificate : certificates) {
            counts.merge(certificate.keyType(), 1, Integer::sum);
        }
        // Only judge the set when every entry could be read; otherwise the entry's own problem says it.
        if (section.has("serverCertificates") && readable == items.size()) {
            for (ServerKeyType type : ServerKeyType.values()) {
                String label = type == ServerKeyType.EC_P384 ? "EC P-384" : "RSA 2048";
                int count = counts.getOrDefault(type, 0);
                if (count == 0) {
                    section.problems().add(listKey, "has no " + label + " certificate; the broker serves one EC"
                            + " P-384 and one RSA 2048 certificate so that every client finds one it can use",
                            "add an entry with a " + label + " certificate and its key ('portcullis dev' makes both)");
                } else if (count > 1) {
                    section.problems().add(listKey, "has " + count + " " + label + " certificates",
                            "keep exactly one " + label + " entry");
                }
            }
        }
        return new TlsConfig(engine, handshakeTimeout, certificates, expiryWarning, sessionTickets, stapling);
    }

    private static MqttSettings mqtt(Section section) {
        MqttSettings defaults = MqttSettings.DEFAULTS;
        MqttSettings settings = new MqttSettings(
                intSetting(section, "maximumPacketSize", defaults.maximumPacketSize()),
                intSetting(section, "maximumTopicLength", defaults.maximumTopicLength()),
                intSetting(section, "maximumTopicLevels", defaults.maximumTopicLevels()),
                intSetting(section, "maximumSubscriptionsPerSession", defaults.maximumSubscriptionsPerSession()),
                intSetting(section, "maximumFiltersPerSubscribe", defaults.maximumFiltersPerSubscribe()),
                intSetting(section, "maximumKeepAliveSeconds", defaults.maximumKeepAliveSeconds()),
                durationSetting(section, "connectTimeout", defaults.connectTimeout()),
                longSetting(section, "maximumSessionExpirySeconds", defaults.maximumSessionExpirySeconds()),
                intSetting(section, "receiveMaximum", defaults.receiveMaximum()),
                intSetting(section, "maximumOutboundInflight", defaults.maximumOutboundInflight()),
                intSetting(section, "topicAliasMaximum", defaults.topicAliasMaximum()),
                intSetting(section, "maximumQueuedMessages", defaults.maximumQueuedMessages()),
                longSetting(section, "maximumQueuedBytes", defaults.maximumQueuedBytes()),
                section.choice("queueOverflowPolicy", MqttSettings.QueueOverflowPolicy.class, Enum::name,
                        defaults.queueOverflowPolicy()),
                durationSetting(section, "slowSubscriberGracePeriod", defaults.slowSubscriberGracePeriod()),
                intSetting(section, "maximumRetainedMessageSize", defaults.maximumRetainedMessageSize()),
                intSetting(section, "maximumRetainedMessages", defaults.maximumRetainedMessages()),
                section.bool("sharedSubscriptionsEnabled", defaults.sharedSubscriptionsEnabled()));
        section.rejectUnknownKeys();
        return settings;
    }

    private static int intSetting(Section section, String name, int defaultValue) {
        return (int) longSetting(section, name, defaultValue);
    }

    private static long longSetting(Section section, String name, long defaultValue) {
        MqttSettings.Range range = MqttSettings.RANGES.get(name);
        return section.number(name, range.minimum(), range.maximum(), defaultValue);
    }

    private static Duration durationSetting(Section section, String name, Duration defaultValue) {
        MqttSettings.Range range = MqttSettings.RANGES.get(name);
        return section.duration(name, Duration.ofMillis(range.minimum()), Duration.ofMillis(range.maximum()),
                defaultValue);
    }

    private static StorageConfig storage(Section section, Path baseDirectory) {
        StorageMode mode = section.choice("mode", StorageMode.class, StorageMode::configName, StorageMode.ROCKSDB);
        String directory = section.text("dataDirectory", StorageConfig.DEFAULT_DATA_DIRECTORY.toString());
        Path dataDirectory = StorageConfig.DEFAULT_DATA_DIRECTORY;
        if (directory.isBlank()) {
            section.problems().add(section.key("dataDirectory"), "is empty",
                    "write the directory the store lives in, for example ./data");
        } else {
            try {
                dataDirectory = baseDirectory.resolve(directory).normalize();
            } catch (InvalidPathException e) {
                section.problems().add(section.key("dataDirectory"), "'" + directory + "' is not a valid path",
                        "write the directory the store lives in, for example ./data");
            }
        }
        boolean sync = section.bool("sync", true);
        section.rejectUnknownKeys();
        if (mode == StorageMode.ROCKSDB && !directory.isBlank()) {
            String problem = notADirectory(dataDirectory);
            if (problem != null) {
                section.problems().add(section.key("dataDirectory"), problem, "point storage.dataDirectory at a"
                        + " directory (a missing one is created at start), or move the file away");
            }
        }
        return new StorageConfig(mode, dataDirectory, sync);
    }

    /**
     * What keeps {@code directory} from being a directory, or null. Only the shape of the file system is
     * judged here; whether the broker's user may write the directory is checked when the store opens, since
     * {@code check-access} reads the same file as another user.
     */
    private static String notADirectory(Path directory) {
        if (Files.isDirectory(directory)) {
            return null;
        }
        if (Files.exists(directory)) {
            return directory + " is a file, not a directory";
        }
        for (Path parent = directory.getParent(); parent != null; parent = parent.getParent()) {
            if (Files.isDirectory(parent)) {
                return null;
            }
            if (Files.exists(parent)) {
                return directory + " cannot be created: " + parent + " is a file, not a directory";
            }
        }
        return null;
    }

    private static NamespaceSettings namespace(Section section) {
        String listKey = section.key("alternativeAuthenticationNameSources");
        Set<AuthenticationNameSource> sources = new LinkedHashSet<>();
        List<JsonNode> items = section.list("alternativeAuthenticationNameSources");
        for (int i = 0; i < items.size(); i++) {
            AuthenticationNameSource source = Section.choiceOf(items.get(i), listKey + "[" + i + "]",
                    AuthenticationNameSource.class, Enum::name, section.problems(), null);
            if (source != null && !sources.add(source)) {
                section.problems().add(listKey + "[" + i + "]", source + " is listed twice", "list each source once");
            }
        }
        int maximumSessions = (int) section.number("maximumClientSessionsPerAuthenticationName", 1,
                MAXIMUM_SESSIONS_PER_AUTHENTICATION_NAME,
                NamespaceSettings.DEFAULTS.maximumClientSessionsPerAuthenticationName());
        return new NamespaceSettings(List.copyOf(sources), maximumSessions);
    }
}
