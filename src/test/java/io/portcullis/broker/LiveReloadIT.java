package io.portcullis.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.auth.CertificateFields;
import io.portcullis.auth.TrustSeparation;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.pki.PemFiles;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static io.portcullis.broker.FleetConfiguration.DEVICE_A;
import static io.portcullis.broker.FleetConfiguration.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Edits of the configuration file reach a running broker and its live connections (SPEC 3.5): the test
 * rewrites the file the way an editor does and watches clients lose (or keep) access, and the log say why.
 * The broker serves {@link FleetConfiguration} plus a monitor (client-4) whose only right is reading
 * telemetry.
 */
class LiveReloadIT {
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int ADMINISTRATIVE_ACTION = 0x98;
    private static final String MONITOR = "client-4";
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static BrokerConfig base;
    static ConfigReloader reloader;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Logger> capturedLoggers = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory, dev -> {
            base = withMonitor(FleetConfiguration.apply(dev));
            return base;
        });
        reloader = broker.broker().watchConfiguration();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Adds client-4 as a monitor: its only permission is reading all telemetry. */
    private static BrokerConfig withMonitor(BrokerConfig fleet) {
        List<Client> clients = fleet.clients().stream().map(c -> !c.name().equals(MONITOR) ? c
                : new Client(c.name(), c.authenticationName(), c.validationScheme(), c.allowedThumbprints(),
                        c.state(), Map.of("role", new AttributeValue.Text("monitor")), c.description())).toList();
        List<ClientGroup> groups = new ArrayList<>(fleet.clientGroups());
        groups.add(new ClientGroup("monitors", "attributes.role = 'monitor'", ""));
        List<PermissionBinding> bindings = new ArrayList<>(fleet.permissionBindings());
        bindings.add(new PermissionBinding("monitors-read-telemetry", "monitors", "all-telemetry",
                Permission.Subscriber, ""));
        return with(fleet, clients, groups, bindings);
    }

    private static BrokerConfig with(BrokerConfig c, List<Client> clients, List<ClientGroup> groups,
                                     List<PermissionBinding> bindings) {
        return new BrokerConfig(c.listeners(), c.tls(), c.mqtt(), c.namespace(), c.subjectNameMatch(),
                c.caCertificates(), clients, groups, c.topicSpaces(), bindings);
    }

    private static BrokerConfig withoutBindings(String... names) {
        List<String> removed = List.of(names);
        return with(base, base.clients(), base.clientGroups(),
                base.permissionBindings().stream().filter(b -> !removed.contains(b.name())).toList());
    }

    private static BrokerConfig withClients(UnaryOperator<Client> change) {
        return with(base, base.clients().stream().map(change).toList(), base.clientGroups(),
                base.permissionBindings());
    }

    private static void writeConfig(BrokerConfig config) throws Exception {
        RunningBroker.writeConfig(broker.configFile(), config, directory);
    }

    @BeforeEach
    void restoreBaseConfigurationAndCaptureLogs() throws Exception {
        writeConfig(base);
        // A forced reload makes the base registry current before the test starts, whatever the watcher does.
        assertThat(reloader.reload("test-setup").get(10, TimeUnit.SECONDS))
                .isIn(ConfigReloader.Outcome.APPLIED, ConfigReloader.Outcome.UNCHANGED);
        log.start();
        for (String name : List.of("portcullis.connections", ConfigReloader.class.getName(),
                HangupSignal.class.getName(), Broker.class.getName())) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.setLevel(Level.INFO);
            logger.addAppender(log);
            capturedLoggers.add(logger);
        }
    }

    @AfterEach
    void stopCapturingLogs() {
        for (Logger logger : capturedLoggers) {
            logger.detachAppender(log);
            logger.setLevel(null);
        }
    }

    private List<String> logLines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static String id(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    @Test
    void removingSubscriberBindingsRemovesSubscriptionsAndDisconnectsClientsLeftWithout() throws Exception {
        try (PahoV5Client monitor = PahoV5Client.connect(broker, MONITOR, id("monitor"));
             PahoV5Client service = PahoV5Client.connect(broker, SERVICE, id("service"));
             PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("device-a"))) {
            assertThat(monitor.subscribe("devices/+/telemetry")).containsExactly(1);
            assertThat(service.subscribe("devices/+/telemetry")).containsExactly(1);
            assertThat(deviceA.publish("devices/client-1/telemetry", "before", 1)).isZero();
            assertThat(monitor.next()).isEqualTo("devices/client-1/telemetry before");
            assertThat(service.next()).isEqualTo("devices/client-1/telemetry before");

            writeConfig(withoutBindings("monitors-read-telemetry", "services-read-telemetry"));

            // The monitor had nothing else: DISCONNECT 0x87. The service keeps publishing rights, so it stays
            // connected without its subscription.
            assertThat(monitor.disconnected).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(NOT_AUTHORIZED);
            await().atMost(5, TimeUnit.SECONDS).until(() -> broker.broker().context().sessions()
                    .find(service.client.getClientId()).subscriptions().isEmpty());
            assertThat(deviceA.publish("devices/client-1/telemetry", "after", 1)).isEqualTo(NO_MATCHING_SUBSCRIBERS);
            assertThat(service.isConnected()).isTrue();
            assertThat(service.received).isEmpty();

            assertThat(logLines(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("Registry changed by configuration reload", "trigger=file-change",
                            "permissionBindings: removed=2 [services-read-telemetry, monitors-read-telemetry]"));
            assertThat(logLines(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("Client access changed", "clientId=" + monitor.client.getClientId(),
                            "no permission left"));
            assertThat(logLines(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("Client access changed", "clientId=" + service.client.getClientId(),
                            "removedSubscriptions=[devices/+/telemetry]"));
        }
    }

    @Test
    void anInvalidEditChangesNothingAndTheLogSaysWhy() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("device-a"))) {
            Registry before = broker.broker().registry().current();
            List<ClientGroup> groups = base.clientGroups().stream().map(g -> !g.name().equals("devices") ? g
                    : new ClientGroup("devices", "attributes.role = = 'device'", g.description())).toList();
            // Also drop every binding: were the file applied, device A would lose all access.
            writeConfig(with(base, base.clients(), groups, List.of()));

            await().atMost(5, TimeUnit.SECONDS).until(() -> !logLines(Level.WARN).isEmpty());
            assertThat(logLines(Level.WARN)).singleElement().satisfies(line -> assertThat(line)
                    .contains("Configuration change ignored", broker.configFile().toString(),
                            "clientGroups[0].query", "Fix:"));
            assertThat(broker.broker().registry().current()).isSameAs(before);
            assertThat(deviceA.publish("devices/client-1/telemetry", "still allowed", 1)).isIn(0,
                    NO_MATCHING_SUBSCRIBERS);
            assertThat(deviceA.isConnected()).isTrue();
        }
    }

    @Test
    void aFileCutShortIsIgnoredWithOneLineNamingWhereItEnds() throws Exception {
        Registry before = broker.broker().registry().current();
        Path aside = directory.resolve("cut-short.yaml.tmp");
        Files.writeString(aside, "listeners:\n  mqtts: { enabled: true, port: 8883\n");

        Files.move(aside, broker.configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        await().atMost(5, TimeUnit.SECONDS).until(() -> !logLines(Level.WARN).isEmpty());
        assertThat(logLines(Level.WARN)).singleElement().satisfies(line -> {
            String problems = line.substring(line.indexOf(System.lineSeparator()) + System.lineSeparator().length());
            assertThat(problems).doesNotContain("\n").isEqualTo("Invalid configuration: " + broker.configFile()
                    + ": (line 3, column 1): is not valid YAML: the file ends before the { opened at line 2,"
                    + " column 10 is closed. Fix: close it, or restore the whole file if it was cut short");
        });
        assertThat(broker.broker().registry().current()).isSameAs(before);
    }

    @Test
    void disablingAConnectedClientDisconnectsItWithAdministrativeAction() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("device-a"));
             PahoV5Client service = PahoV5Client.connect(broker, SERVICE, id("service"))) {

            writeConfig(withClients(c -> !c.name().equals(DEVICE_A) ? c
                    : new Client(c.name(), c.authenticationName(), c.validationScheme(), c.allowedThumbprints(),
                            ClientState.Disabled, c.attributes(), c.description())));

            assertThat(deviceA.disconnected).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(ADMINISTRATIVE_ACTION);
            assertThat(service.isConnected()).isTrue();
            assertThat(logLines(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("Registry changed by configuration reload", "clients: changed=1 [client-1]"));
            assertThat(logLines(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("Client access changed", "client disabled"));
        }
    }

    @Test
    void aDeviceCertificateMovedToTheAdminTrustIsDisconnectedAndRefused() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("device-a"));
             PahoV5Client service = PahoV5Client.connect(broker, SERVICE, id("service"))) {
            String thumbprint = CertificateFields.thumbprint(
                    PemFiles.readCertificates(broker.clientFiles(DEVICE_A).certificate()).get(0));
            AdminConfig admin = new AdminConfig(false, AdminConfig.DEFAULT_BIND_ADDRESS, AdminConfig.DEFAULT_PORT,
                    List.of(), List.of(), List.of(thumbprint));

            writeConfig(new BrokerConfig(base.listeners(), base.tls(), base.mqtt(), base.namespace(),
                    base.subjectNameMatch(), base.caCertificates(), base.clients(), base.clientGroups(),
                    base.topicSpaces(), base.permissionBindings(), base.storage(), base.revocation(), admin));

            assertThat(deviceA.disconnected).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(NOT_AUTHORIZED);
            assertThat(service.isConnected()).isTrue();
            assertThat(logLines(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("Client access changed", "clientId=" + deviceA.client.getClientId(),
                            "no longer authenticated: client certificate is " + TrustSeparation.ADMIN_CERTIFICATE));
            assertThatThrownBy(() -> PahoV5Client.connect(broker, DEVICE_A, id("device-a")))
                    .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class);
        }
    }

    @Test
    void anAdminThumbprintThatADeviceClientAllowsIsWarnedAboutOnce() throws Exception {
        String thumbprint = CertificateFields.thumbprint(
                PemFiles.readCertificates(broker.clientFiles("selfsigned-1").certificate()).get(0));
        AdminConfig admin = new AdminConfig(false, AdminConfig.DEFAULT_BIND_ADDRESS, AdminConfig.DEFAULT_PORT,
                List.of(), List.of(), List.of(thumbprint));

        writeConfig(new BrokerConfig(base.listeners(), base.tls(), base.mqtt(), base.namespace(),
                base.subjectNameMatch(), base.caCertificates(), base.clients(), base.clientGroups(),
                base.topicSpaces(), base.permissionBindings(), base.storage(), base.revocation(), admin));
        await().atMost(5, TimeUnit.SECONDS).until(() -> logLines(Level.WARN).stream()
                .anyMatch(line -> line.startsWith("Admin thumbprint also allowed for a device")));
        reloader.reload("test").get(10, TimeUnit.SECONDS);

        assertThat(logLines(Level.WARN)).filteredOn(line -> line.startsWith("Admin thumbprint also allowed"))
                .singleElement().asString().contains("thumbprint=" + thumbprint, "client=selfsigned-1",
                        "opens neither MQTT nor the admin API");
    }

    @Test
    void listenerChangesWaitForARestartWhileRegistryChangesApply() throws Exception {
        BrokerConfig edited = withoutBindings("monitors-read-telemetry");
        edited = new BrokerConfig(edited.listeners(), edited.tls(), new io.portcullis.config.MqttSettings(
                2048 * 1024, edited.mqtt().maximumTopicLength(), edited.mqtt().maximumTopicLevels(),
                edited.mqtt().maximumSubscriptionsPerSession(), edited.mqtt().maximumFiltersPerSubscribe(),
                edited.mqtt().maximumKeepAliveSeconds(), edited.mqtt().connectTimeout(),
                edited.mqtt().maximumSessionExpirySeconds(), edited.mqtt().receiveMaximum(),
                edited.mqtt().maximumOutboundInflight(), edited.mqtt().topicAliasMaximum(),
                edited.mqtt().maximumQueuedMessages(), edited.mqtt().maximumQueuedBytes(),
                edited.mqtt().queueOverflowPolicy(), edited.mqtt().slowSubscriberGracePeriod(),
                edited.mqtt().maximumRetainedMessageSize(), edited.mqtt().maximumRetainedMessages(),
                edited.mqtt().sharedSubscriptionsEnabled()), edited.namespace(), edited.subjectNameMatch(),
                edited.caCertificates(), edited.clients(), edited.clientGroups(), edited.topicSpaces(),
                edited.permissionBindings());

        writeConfig(edited);

        await().atMost(5, TimeUnit.SECONDS).until(() -> !broker.broker().registry().current()
                .permissionBindings().containsKey("monitors-read-telemetry"));
        assertThat(logLines(Level.WARN)).anySatisfy(line -> assertThat(line)
                .contains("apply only after a restart", "keys=[mqtt.maximumPacketSize]"));
        assertThat(broker.broker().context().settings().maximumPacketSize())
                .isEqualTo(base.mqtt().maximumPacketSize());
    }

    @Test
    void sighupReloadsTheFile() throws Exception {
        assumeTrue(reloader.isHangupHandled(), "SIGHUP is not handled on this JVM or platform");
        long pid = ProcessHandle.current().pid();

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();

        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> logLines(Level.INFO).stream()
                .anyMatch(line -> line.contains("registry unchanged") && line.contains("trigger=SIGHUP")));
    }
}
