package io.portcullis.config;

import io.portcullis.auth.SubjectNameMatch;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.Permission;
import io.portcullis.registry.Registry;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.TestCertificates;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {
    @TempDir
    Path directory;

    private ConfigFixture fixture;

    @BeforeEach
    void writePki() {
        fixture = new ConfigFixture(directory);
    }

    @Test
    void loadsAValidFullFile() throws ConfigException {
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));

        LoadedConfig loaded = new ConfigLoader().load(file);

        BrokerConfig config = loaded.config();
        assertThat(config.listeners().mqtts()).isEqualTo(new ListenerConfig(true, "127.0.0.1", 18883));
        assertThat(config.listeners().websocket())
                .isEqualTo(new WebSocketListenerConfig(true, "127.0.0.1", 18443, "/mqtt", 65536));
        assertThat(config.tls().engine()).isEqualTo(TlsEngine.JDK);
        assertThat(config.tls().handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.tls().serverCertificate(ServerKeyType.EC_P384).certificate())
                .isEqualTo(directory.resolve("server/server-ec.crt").toAbsolutePath());
        assertThat(config.tls().serverCertificate(ServerKeyType.RSA).privateKey())
                .isEqualTo(directory.resolve("server/server-rsa.key").toAbsolutePath());
        assertThat(config.mqtt().maximumPacketSize()).isEqualTo(524288);
        assertThat(config.mqtt().connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.mqtt().slowSubscriberGracePeriod()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.mqtt().queueOverflowPolicy()).isEqualTo(MqttSettings.QueueOverflowPolicy.DropNewest);
        assertThat(config.mqtt().sharedSubscriptionsEnabled()).isFalse();
        assertThat(config.mqtt().maximumTopicLevels()).isEqualTo(MqttSettings.DEFAULTS.maximumTopicLevels());
        assertThat(config.namespace().alternativeAuthenticationNameSources()).containsExactly(
                AuthenticationNameSource.ClientCertificateSubject, AuthenticationNameSource.ClientCertificateDns);
        assertThat(config.namespace().maximumClientSessionsPerAuthenticationName()).isEqualTo(5);
        assertThat(config.subjectNameMatch()).isEqualTo(SubjectNameMatch.CommonName);

        Registry registry = loaded.registry();
        assertThat(registry.caCertificates().get("dev-intermediate").certificate())
                .isEqualTo(ConfigFixture.INTERMEDIATE.certificate());
        Client client = registry.clients().get("client-1");
        assertThat(client.authenticationName()).isEqualTo("client-1");
        assertThat(client.validationScheme()).isEqualTo(ValidationScheme.SubjectMatchesAuthenticationName);
        assertThat(client.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "type", new AttributeValue.Text("sensor"),
                "floor", new AttributeValue.Integer(3),
                "roles", new AttributeValue.TextArray(List.of("a", "b")),
                "code", new AttributeValue.Text("7")));
        Client pump = registry.clientByAuthenticationName("pump-seven");
        assertThat(pump.name()).isEqualTo("pump.7");
        assertThat(pump.state()).isEqualTo(ClientState.Disabled);
        assertThat(pump.allowedThumbprints()).containsExactly("AB".repeat(32));
        assertThat(registry.clientGroups().get("sensors").query()).isEqualTo("attributes.type = 'sensor'");
        assertThat(registry.topicSpaces().get("own-telemetry").topicTemplates())
                .containsExactly("telemetry/${client.authenticationName}/#");
        assertThat(registry.permissionBindings().get("sensors-sub").permission()).isEqualTo(Permission.Subscriber);
        assertThat(registry.permissionBindings().get("all-pub").clientGroupName()).isEqualTo("$all");
    }

    @Test
    void usesDefaultsForOmittedSections() throws ConfigException {
        Map<String, String> sections = Map.of("tls", ConfigFixture.validSections().get("tls"));
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        BrokerConfig config = new ConfigLoader().load(file).config();

        assertThat(config.listeners()).isEqualTo(ListenersConfig.DEFAULTS);
        assertThat(config.mqtt()).isEqualTo(MqttSettings.DEFAULTS);
        assertThat(config.tls().engine()).isEqualTo(TlsEngine.JDK);
        assertThat(config.clients()).isEmpty();
    }

    @Test
    void acceptsInlinePemForCaCertificates() throws ConfigException {
        Map<String, String> sections = ConfigFixture.validSections();
        String pem = TestCertificates.pem(ConfigFixture.ROOT).strip().replace("\n", "\n      ");
        sections.put("caCertificates", "caCertificates:\n  - name: inline-root\n    certificate: |\n      "
                + pem + "\n");
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        BrokerConfig config = new ConfigLoader().load(file).config();

        assertThat(config.caCertificates()).singleElement().satisfies(ca -> {
            assertThat(ca.file()).isNull();
            assertThat(ca.certificate()).isEqualTo(ConfigFixture.ROOT.certificate());
        });
    }

    @Test
    void writesYamlThatLoadsBackToTheSameConfiguration() throws ConfigException {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put("namespace", "namespace: { subjectNameMatch: DistinguishedName }\n");
        String inline = TestCertificates.pem(ConfigFixture.ROOT).strip().replace("\n", "\n      ");
        sections.put("caCertificates", ConfigFixture.validSections().get("caCertificates")
                + "  - name: inline-root\n    certificate: |\n      " + inline + "\n");
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));
        BrokerConfig original = new ConfigLoader().load(file).config();

        String written = ConfigWriter.toYaml(original, directory);
        BrokerConfig reloaded = new ConfigLoader().parse(written, directory, directory.resolve("written.yaml"))
                .config();

        assertThat(reloaded).isEqualTo(original);
        assertThat(written).contains("certificate: pki/intermediate.pem").contains("handshakeTimeout: 5s")
                .contains("connectTimeout: 500ms").contains("code: \"7\"");
    }

    @Test
    void storageDefaultsToRocksDbInDataNextToTheFile() throws ConfigException {
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));

        StorageConfig storage = new ConfigLoader().load(file).config().storage();

        assertThat(storage).isEqualTo(new StorageConfig(StorageMode.ROCKSDB,
                file.toAbsolutePath().getParent().resolve("data").normalize(), true));
    }

    @Test
    void readsMemoryStorageAndRejectsAnUnknownMode() throws ConfigException {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put("storage", "storage: { mode: memory, dataDirectory: /var/lib/portcullis, sync: false }\n");
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        assertThat(new ConfigLoader().load(file).config().storage())
                .isEqualTo(new StorageConfig(StorageMode.MEMORY, Path.of("/var/lib/portcullis"), false));

        sections.put("storage", "storage: { mode: disk }\n");
        Path wrong = fixture.writeConfig(ConfigFixture.yaml(sections));
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().load(wrong));
        assertThat(error.problems()).extracting(ConfigProblem::key).containsExactly("storage.mode");
    }

    @Test
    void acceptsIpv4AndIpv6BindAddresses() throws ConfigException {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put("listeners", "listeners: { mqtts: { bindAddress: '::1' }, websocket: { bindAddress: '::' } }\n");
        sections.put("admin", "admin: { bindAddress: 0.0.0.0 }\n");
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        BrokerConfig config = new ConfigLoader().load(file).config();

        assertThat(config.listeners().mqtts().bindAddress()).isEqualTo("::1");
        assertThat(config.listeners().websocket().bindAddress()).isEqualTo("::");
        assertThat(config.admin().bindAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void memoryStorageIgnoresADataDirectoryThatIsAFile() throws ConfigException {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put("storage", "storage: { mode: memory, dataDirectory: pki/root.pem }\n");
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        assertThat(new ConfigLoader().load(file).config().storage().mode()).isEqualTo(StorageMode.MEMORY);
    }

    @Test
    void reportsEveryProblemNotOnlyTheFirst() {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put("mqtt", "mqtt: { maximumPacketSize: 10, receiveMaximum: 0, connectTimeout: 10 }\n");
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().load(file));

        assertThat(error.problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("mqtt.maximumPacketSize", "mqtt.receiveMaximum", "mqtt.connectTimeout");
        assertThat(error.getMessage()).contains("3 problems").contains(file.toString());
    }

    @Test
    void hooksCheckQueriesAndTemplates() {
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));
        SyntaxCheck query = text -> text.contains("sensor") ? Optional.of("unexpected 'sensor' at 17")
                : Optional.empty();
        SyntaxCheck template = text -> text.contains("${") ? Optional.of("variable not allowed at 10")
                : Optional.empty();

        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(query, template, Clock.systemUTC()).load(file));

        assertThat(error.problems()).extracting(ConfigProblem::key, ConfigProblem::problem).containsExactly(
                org.assertj.core.groups.Tuple.tuple("clientGroups[0].query", "unexpected 'sensor' at 17"),
                org.assertj.core.groups.Tuple.tuple("topicSpaces[1].topicTemplates[0]", "variable not allowed at 10"));
    }

    @Test
    void reportsAnUnreadableFile() {
        Path missing = directory.resolve("nope.yaml");

        assertThatThrownBy(() -> new ConfigLoader().load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("cannot be read");
    }

    @Test
    void refusesExpiredServerCertificate() {
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));
        Clock later = Clock.fixed(ConfigFixture.SERVER_EC.certificate().getNotAfter().toInstant()
                .plus(Duration.ofDays(1)), java.time.ZoneOffset.UTC);

        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(SyntaxCheck.ACCEPT_ALL, SyntaxCheck.ACCEPT_ALL, later).load(file));

        assertThat(error.problems()).extracting(ConfigProblem::key)
                .contains("tls.serverCertificates[0].certificate", "tls.serverCertificates[1].certificate");
        assertThat(error.getMessage()).contains("expired on");
    }

    @Test
    void refusesServerCertificateNotYetValid() {
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));
        Clock earlier = Clock.fixed(ConfigFixture.SERVER_EC.certificate().getNotBefore().toInstant()
                .minus(Duration.ofDays(1)), java.time.ZoneOffset.UTC);

        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(SyntaxCheck.ACCEPT_ALL, SyntaxCheck.ACCEPT_ALL, earlier).load(file));

        assertThat(error.problems()).extracting(ConfigProblem::key)
                .contains("tls.serverCertificates[0].certificate", "tls.serverCertificates[1].certificate");
        assertThat(error.getMessage()).contains("is not valid until "
                + ConfigFixture.SERVER_EC.certificate().getNotBefore().toInstant());
    }

    static Stream<Arguments> unusableServerCertificates() {
        return Stream.of(
                Arguments.of("EC clientAuth only", TestCertificates.ecKeyPair("secp384r1"), KeyUsage.digitalSignature,
                        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth},
                        "its extended key usage does not allow TLS server authentication"),
                Arguments.of("RSA emailProtection only", TestCertificates.rsaKeyPair(2048),
                        KeyUsage.digitalSignature, new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection},
                        "its extended key usage does not allow TLS server authentication"),
                Arguments.of("EC keyEncipherment only", TestCertificates.ecKeyPair("secp384r1"),
                        KeyUsage.keyEncipherment, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
                        "key usage does not allow TLS server authentication (it lacks digitalSignature)"),
                Arguments.of("RSA keyAgreement only", TestCertificates.rsaKeyPair(2048), KeyUsage.keyAgreement,
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
                        "key usage does not allow TLS server authentication (it lacks digitalSignature or"
                                + " keyEncipherment)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableServerCertificates")
    void refusesServerCertificateClientsCannotUse(String name, KeyPair keyPair, int keyUsage,
                                                  KeyPurposeId[] purposes, String expected) {
        boolean isRsa = keyPair.getPublic().getAlgorithm().equals("RSA");
        String slot = isRsa ? "server/server-rsa" : "server/server-ec";
        TestCertificates.Issued unusable = TestCertificates.certificate("CN=broker.test").issuer(ConfigFixture.ROOT)
                .keyPair(keyPair).keyUsage(keyUsage).extendedKeyUsage(purposes).dns("broker.test").build();
        fixture.write(slot + ".crt", TestCertificates.pem(unusable, ConfigFixture.ROOT));
        fixture.write(slot + ".key", ConfigFixture.pkcs8(unusable.privateKey()));
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().load(file));

        assertThat(error).isNotNull();
        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("tls.serverCertificates[" + (isRsa ? 1 : 0) + "].certificate");
            assertThat(problem.problem()).contains(expected).contains(directory.resolve(slot + ".crt").toString());
            assertThat(problem.fix()).contains("pki server issue");
        });
    }

    @Test
    void acceptsServerCertificateWithAnyExtendedKeyUsage() throws ConfigException {
        TestCertificates.Issued any = TestCertificates.certificate("CN=broker.test").issuer(ConfigFixture.ROOT)
                .keyPair(TestCertificates.rsaKeyPair(2048)).keyUsage(KeyUsage.keyEncipherment)
                .extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage).build();
        fixture.write("server/server-rsa.crt", TestCertificates.pem(any, ConfigFixture.ROOT));
        fixture.write("server/server-rsa.key", ConfigFixture.pkcs8(any.privateKey()));
        Path file = fixture.writeConfig(ConfigFixture.yaml(ConfigFixture.validSections()));

        assertThat(new ConfigLoader().load(file).config().tls().serverCertificates()).hasSize(2);
    }

    static Stream<Arguments> invalidFiles() {
        String thumbprint = "ab".repeat(32);
        return Stream.of(
                invalid("unknown top-level key", "listners", "listners: {}\n", "listners", "unknown key",
                        "did you mean 'listeners'"),
                invalid("unknown nested key", "mqtt", "mqtt: { maximumPacketSise: 2000 }\n",
                        "mqtt.maximumPacketSise", "unknown key", "maximumPacketSize"),
                invalid("setting out of range", "mqtt", "mqtt: { maximumPacketSize: 10 }\n",
                        "mqtt.maximumPacketSize", "out of range", "from 1024 to 268435455"),
                invalid("setting of the wrong type", "mqtt", "mqtt: { receiveMaximum: lots }\n",
                        "mqtt.receiveMaximum", "expected a whole number", "from 1 to 65535"),
                invalid("duration without unit", "mqtt", "mqtt: { connectTimeout: 10 }\n",
                        "mqtt.connectTimeout", "expected a duration", "for example 10s"),
                invalid("duration with unknown unit", "mqtt", "mqtt: { connectTimeout: 10y }\n",
                        "mqtt.connectTimeout", "is not a duration", "500ms, 10s, 5m or 8h"),
                invalid("unknown enum value", "mqtt", "mqtt: { queueOverflowPolicy: dropOldest }\n",
                        "mqtt.queueOverflowPolicy", "not one of the allowed values", "DropOldest, DropNewest"),
                invalid("tls missing", "tls", "", "tls", "is required", "serverCertificates"),
                invalid("unknown tls engine", "tls", ConfigFixture.validSections().get("tls")
                        .replace("engine: jdk", "engine: boring"), "tls.engine", "not one of", "auto, openssl, jdk"),
                invalid("missing certificate file", "tls", ConfigFixture.validSections().get("tls")
                        .replace("server/server-ec.crt", "server/missing.crt"),
                        "tls.serverCertificates[0].certificate", "does not exist", "relative paths start at"),
                invalid("key of another certificate", "tls", ConfigFixture.validSections().get("tls")
                        .replace("privateKey: server/server-rsa.key", "privateKey: server/server-ec.key"),
                        "tls.serverCertificates[1].privateKey", "does not belong", "pair each certificate"),
                invalid("no RSA certificate", "tls", ConfigFixture.validSections().get("tls").replace(
                        "    - { certificate: server/server-rsa.crt, privateKey: server/server-rsa.key }\n", ""),
                        "tls.serverCertificates", "has no RSA 2048 certificate", "add an entry"),
                invalid("MQTTS bindAddress that is no IPv4 address", "listeners",
                        "listeners: { mqtts: { bindAddress: 999.1.1.1 } }\n", "listeners.mqtts.bindAddress",
                        "'999.1.1.1' is not an IPv4 or IPv6 address", "write one of this host's IP addresses"),
                invalid("WebSocket bindAddress that is a host name", "listeners",
                        "listeners: { websocket: { bindAddress: no-such-host.invalid } }\n",
                        "listeners.websocket.bindAddress", "'no-such-host.invalid' is not an IPv4 or IPv6 address",
                        ":: (all addresses)"),
                invalid("admin CA that is also the device CA", "admin",
                        "admin: { caCertificates: [pki/intermediate.pem] }\n", "admin.caCertificates[0]",
                        "is also registered for devices as caCertificates 'dev-intermediate'",
                        "issue admin certificates from a separate CA (portcullis pki ca create --name admin-ca)"),
                invalid("admin CA below the device CA", "caCertificates", """
                        caCertificates:
                          - { name: dev-root, certificate: pki/root.pem }
                        admin: { caCertificates: [pki/intermediate.pem] }
                        """, "admin.caCertificates[0]",
                        "was issued by the device CA caCertificates 'dev-root', so its certificates reach device trust",
                        "issue admin certificates from a separate CA (portcullis pki ca create --name admin-ca)"),
                invalid("admin bindAddress localhost", "admin", "admin: { bindAddress: localhost }\n",
                        "admin.bindAddress", "host names such as localhost are not looked up", "127.0.0.1"),
                invalid("data directory that is a file", "storage", "storage: { dataDirectory: pki/root.pem }\n",
                        "storage.dataDirectory",
                        "pki" + java.io.File.separator + "root.pem is a file, not a directory",
                        "point storage.dataDirectory at a directory"),
                invalid("data directory below a file", "storage", "storage: { dataDirectory: pki/root.pem/data }\n",
                        "storage.dataDirectory", "cannot be created: ", "or move the file away"),
                invalid("both listeners disabled", "listeners",
                        "listeners: { mqtts: { enabled: false }, websocket: { enabled: false } }\n",
                        "listeners", "both listeners are disabled", "set enabled: true"),
                invalid("listeners on one port", "listeners",
                        "listeners: { mqtts: { port: 9000 }, websocket: { port: 9000 } }\n",
                        "listeners.websocket.port", "same port", "own port"),
                invalid("sessions per name out of range", "namespace",
                        "namespace: { maximumClientSessionsPerAuthenticationName: 0 }\n",
                        "namespace.maximumClientSessionsPerAuthenticationName", "out of range", "from 1 to 1000"),
                invalid("unknown name source", "namespace",
                        "namespace: { alternativeAuthenticationNameSources: [ClientCertificateCn] }\n",
                        "namespace.alternativeAuthenticationNameSources[0]", "not one of",
                        "ClientCertificateSubject"),
                invalid("missing CA file", "caCertificates",
                        "caCertificates: [ { name: root-ca, certificate: pki/none.pem } ]\n",
                        "caCertificates[0].certificate", "does not exist", "correct the path"),
                invalid("leaf registered as CA", "caCertificates",
                        "caCertificates: [ { name: not-a-ca, certificate: pki/client.pem } ]\n",
                        "caCertificates[0].certificate", "is not a CA certificate", "ThumbprintMatch"),
                invalid("CA name too short", "caCertificates",
                        "caCertificates: [ { name: ca, certificate: pki/root.pem } ]\n",
                        "caCertificates[0].name", "2 characters long", "3 to 50 letters"),
                invalid("same CA twice", "caCertificates", "caCertificates: [ { name: one-ca, certificate:"
                        + " pki/root.pem }, { name: two-ca, certificate: pki/root.pem } ]\n",
                        "caCertificates[1].certificate", "already used at caCertificates[0].certificate",
                        "unique"),
                invalid("client name with a space", "clients", "clients: [ { name: 'bad name' } ]\n",
                        "clients[0].name", "contains characters other than", "letters, digits"),
                invalid("client without name", "clients", "clients: [ { state: Enabled } ]\n",
                        "clients[0].name", "is required", "1 to 128"),
                invalid("authentication name too long", "clients",
                        "clients: [ { name: c1, authenticationName: '" + "x".repeat(129) + "' } ]\n",
                        "clients[0].authenticationName", "129 characters", "1 to 128 characters"),
                invalid("authentication names equal ignoring case", "clients",
                        "clients: [ { name: c1, authenticationName: Dev }, { name: c2, authenticationName: dev } ]\n",
                        "clients[1].authenticationName", "already used at clients[0].authenticationName",
                        "unique"),
                invalid("wrong case of state", "clients", "clients: [ { name: c1, state: enabled } ]\n",
                        "clients[0].state", "not one of", "Enabled, Disabled"),
                invalid("thumbprint with a CA scheme", "clients",
                        "clients: [ { name: c1, clientCertificateAuthentication: { allowedThumbprints: ["
                                + thumbprint + "] } } ]\n",
                        "clients[0].clientCertificateAuthentication.allowedThumbprints",
                        "only used with validationScheme ThumbprintMatch", "remove allowedThumbprints"),
                invalid("ThumbprintMatch without thumbprints", "clients",
                        "clients: [ { name: c1, clientCertificateAuthentication: { validationScheme: ThumbprintMatch"
                                + " } } ]\n",
                        "clients[0].clientCertificateAuthentication.allowedThumbprints", "needs 1 or 2",
                        "SHA-256 thumbprint"),
                invalid("three thumbprints", "clients",
                        "clients: [ { name: c1, clientCertificateAuthentication: { validationScheme: ThumbprintMatch,"
                                + " allowedThumbprints: [" + thumbprint + ", " + "cd".repeat(32) + ", "
                                + "ef".repeat(32) + "] } } ]\n",
                        "clients[0].clientCertificateAuthentication.allowedThumbprints", "found 3", "at most one"),
                invalid("malformed thumbprint", "clients",
                        "clients: [ { name: c1, clientCertificateAuthentication: { validationScheme: ThumbprintMatch,"
                                + " allowedThumbprints: ['AB:CD'] } } ]\n",
                        "clients[0].clientCertificateAuthentication.allowedThumbprints[0]", "not 64 hexadecimal",
                        "without separators"),
                invalid("attribute key with a dash", "clients",
                        "clients: [ { name: c1, attributes: { bad-key: x } } ]\n",
                        "clients[0].attributes.bad-key", "contains characters other than", "rename it"),
                invalid("boolean attribute", "clients", "clients: [ { name: c1, attributes: { active: true } } ]\n",
                        "clients[0].attributes.active", "not an allowed attribute value", "quote a value"),
                invalid("list attribute with a number", "clients",
                        "clients: [ { name: c1, attributes: { roles: [a, 2] } } ]\n",
                        "clients[0].attributes.roles[1]", "is not text", "quote it"),
                invalid("attributes over 4 KB", "clients",
                        "clients: [ { name: c1, attributes: { big: '" + "x".repeat(4100) + "' } } ]\n",
                        "clients[0].attributes", "must stay under 4096", "shorten"),
                invalid("$all redefined", "clientGroups", "clientGroups: [ { name: $all, query: \"x = 1\" } ]\n",
                        "clientGroups[0].name", "built-in group", "remove this entry"),
                invalid("group without query", "clientGroups", "clientGroups: [ { name: sensors } ]\n",
                        "clientGroups[0].query", "is required", "attributes.type"),
                invalid("topic space without templates", "topicSpaces", "topicSpaces: [ { name: empty-space } ]\n",
                        "topicSpaces[0].topicTemplates", "at least one template", "topic filters"),
                invalid("binding to an unknown group", "permissionBindings",
                        "permissionBindings: [ { name: b-1, clientGroupName: nobody, topicSpaceName: everything,"
                                + " permission: Publisher } ]\n",
                        "permissionBindings[0].clientGroupName", "no client group is named 'nobody'", "$all"),
                invalid("binding to a group in other case", "permissionBindings",
                        "permissionBindings: [ { name: b-1, clientGroupName: Sensors, topicSpaceName: everything,"
                                + " permission: Publisher } ]\n",
                        "permissionBindings[0].clientGroupName", "no client group is named 'Sensors'",
                        "write it as 'sensors'"),
                invalid("binding to an unknown topic space", "permissionBindings",
                        "permissionBindings: [ { name: b-1, clientGroupName: $all, topicSpaceName: nowhere,"
                                + " permission: Publisher } ]\n",
                        "permissionBindings[0].topicSpaceName", "no topic space is named 'nowhere'",
                        "define a topic space"),
                invalid("binding without permission", "permissionBindings",
                        "permissionBindings: [ { name: b-1, clientGroupName: $all, topicSpaceName: everything } ]\n",
                        "permissionBindings[0].permission", "is required", "Publisher or Subscriber"),
                invalid("YAML syntax error", "mqtt", "mqtt: { maximumPacketSize: [ }\n",
                        "(line", "is not valid YAML", "correct the YAML syntax"),
                invalid("duplicate key", "mqtt", "mqtt:\n  receiveMaximum: 10\n  receiveMaximum: 20\n",
                        "(line", "receiveMaximum' appears twice", "keep one of the two"));
    }

    static Stream<Arguments> brokenYaml() {
        return Stream.of(
                Arguments.of("tab indenting line 2", "listeners:\n\tmqtts: { port: 1 }\n", "(line 2, column 1)",
                        "a tab character cannot indent YAML; use spaces"),
                Arguments.of("tab after spaces", "mqtt:\n  receiveMaximum: 10\n \tconnectTimeout: 2s\n",
                        "(line 3, column 2)", "a tab character"),
                Arguments.of("list cut short", "mqtt:\n  receiveMaximum: 10\nnamespace: { a: [1, 2\n",
                        "(line 4, column 1)", "the file ends before the [ opened at line 3, column 17 is closed"),
                Arguments.of("map cut short", "mqtt: { receiveMaximum: 10,\n  connectTimeout: 2s\n",
                        "(line 3, column 1)", "the file ends before the { opened at line 1, column 7 is closed"),
                Arguments.of("quote cut short", "mqtt:\n  connectTimeout: \"2s\n  receiveMaximum: 1\n",
                        "(line 4, column 1)", "the file ends before the quote opened at line 2, column 19"),
                Arguments.of("key indented one space less", "mqtt:\n  receiveMaximum: 10\n connectTimeout: 2s\n",
                        "(line 3, column 2)", "not indented like the lines before it"),
                Arguments.of("colon inside a plain value", "mqtt:\n  connectTimeout: 2s: 3s\n",
                        "(line 2, column 21)", "a ':' follows a value on the same line"),
                Arguments.of("list item inside a map", "mqtt:\n  receiveMaximum: 10\n- connectTimeout\n",
                        "(line 3, column 1)", "not indented like the lines before it"),
                Arguments.of("duplicate key", "mqtt:\n  receiveMaximum: 10\n  receiveMaximum: 20\n",
                        "(line 3, column", "the key 'receiveMaximum' appears twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenYaml")
    void reportsBrokenYamlAtItsLineInOneLine(String description, String yaml, String position, String problem) {
        Path file = directory.resolve("broken.yaml");

        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader().parse(yaml, directory, file));

        assertThat(error).as("expected a ConfigException").isNotNull();
        assertThat(error.problems()).singleElement().satisfies(found -> {
            assertThat(found.key()).startsWith(position);
            assertThat(found.problem()).startsWith("is not valid YAML: ").contains(problem);
        });
        assertThat(error.getMessage()).doesNotContain("\n").doesNotContain("\r")
                .startsWith("Invalid configuration: " + file + ": " + position).contains(". Fix: ");
    }

    private static Arguments invalid(String description, String section, String replacement, String key,
                                     String problem, String fix) {
        return Arguments.of(description, section, replacement, key, problem, fix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void reportsFileKeyProblemAndFix(String description, String section, String replacement, String key,
                                     String problem, String fix) {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put(section, replacement);
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().load(file));

        assertThat(error).as("expected a ConfigException").isNotNull();
        assertThat(error.problems()).as(error.getMessage()).anySatisfy(found -> {
            assertThat(found.file()).isEqualTo(file.toString());
            assertThat(found.key()).startsWith(key);
            assertThat(found.problem()).contains(problem);
            assertThat(found.fix()).contains(fix);
        });
        assertThat(error.getMessage()).contains(file.toString()).contains(key).contains("Fix: ");
    }
}
