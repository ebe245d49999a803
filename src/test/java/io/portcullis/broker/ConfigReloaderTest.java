package io.portcullis.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.auth.SubjectNameMatch;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigProblem;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.LoadedConfig;
import io.portcullis.config.MqttSettings;
import io.portcullis.config.ServerCertificateConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.config.StorageConfig;
import io.portcullis.config.StorageMode;
import io.portcullis.config.TlsConfig;
import io.portcullis.config.TlsEngine;
import io.portcullis.config.WebSocketListenerConfig;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.registry.TopicSpace;
import io.portcullis.registry.ValidationScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reloader with a scripted loader: the file's text names which configuration the loader returns, so
 * the tests exercise watching, debouncing, validation-first and the atomic swap without a PKI.
 */
class ConfigReloaderTest {
    @TempDir
    Path directory;

    private final Map<String, Object> configsByText = new ConcurrentHashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private ConfigReloader reloader;

    @AfterEach
    void close() {
        if (reloader != null) {
            reloader.close();
        }
    }

    private static BrokerConfig config(int mqttsPort, int maximumPacketSize, String... clientNames) {
        ListenersConfig listeners = new ListenersConfig(new ListenerConfig(true, "127.0.0.1", mqttsPort),
                WebSocketListenerConfig.DEFAULTS);
        TlsConfig tls = new TlsConfig(TlsEngine.AUTO, TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT, List.of(
                new ServerCertificateConfig(Path.of("/s/ec.crt"), Path.of("/s/ec.key"), ServerKeyType.EC_P384),
                new ServerCertificateConfig(Path.of("/s/rsa.crt"), Path.of("/s/rsa.key"), ServerKeyType.RSA)));
        MqttSettings d = MqttSettings.DEFAULTS;
        MqttSettings mqtt = new MqttSettings(maximumPacketSize, d.maximumTopicLength(), d.maximumTopicLevels(),
                d.maximumSubscriptionsPerSession(), d.maximumFiltersPerSubscribe(), d.maximumKeepAliveSeconds(),
                d.connectTimeout(), d.maximumSessionExpirySeconds(), d.receiveMaximum(), d.maximumOutboundInflight(),
                d.topicAliasMaximum(), d.maximumQueuedMessages(), d.maximumQueuedBytes(), d.queueOverflowPolicy(),
                d.slowSubscriberGracePeriod(), d.maximumRetainedMessageSize(), d.maximumRetainedMessages(),
                d.sharedSubscriptionsEnabled());
        List<Client> clients = java.util.Arrays.stream(clientNames).map(name -> new Client(name, name,
                ValidationScheme.SubjectMatchesAuthenticationName, List.of(), ClientState.Enabled, Map.of(), ""))
                .toList();
        TopicSpace all = new TopicSpace("everything", List.of("#"), "");
        return new BrokerConfig(listeners, tls, mqtt, NamespaceSettings.DEFAULTS, SubjectNameMatch.CommonName,
                List.of(), clients, List.of(), List.of(all),
                List.of(new PermissionBinding("all-pub", ClientGroup.ALL, "everything", Permission.Publisher, "")));
    }

    private Path file() {
        return directory.resolve("portcullis.yaml");
    }

    private LoadedConfig loaded(BrokerConfig config) {
        return new LoadedConfig(file(), config, config.toRegistry());
    }

    private LoadedConfig load(Path file) throws ConfigException {
        loads.incrementAndGet();
        String text;
        try {
            text = Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), "(file)", "unreadable", "fix")));
        }
        Object result = configsByText.get(text);
        if (result instanceof BrokerConfig config) {
            return loaded(config);
        }
        throw new ConfigException(List.of(new ConfigProblem(file.toString(), "clientGroups[0].query",
                "the query does not parse", "correct the query")));
    }

    /** Replaces the file the way editors and {@code RunningBroker.writeConfig} do: write aside, rename over. */
    private void replaceFile(String text) throws Exception {
        Path temporary = directory.resolve("portcullis.yaml.tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private RegistryHolder startWith(String text, BrokerConfig config) throws Exception {
        configsByText.put(text, config);
        Files.writeString(file(), text, StandardCharsets.UTF_8);
        LoadedConfig running = loaded(config);
        RegistryHolder holder = new RegistryHolder(running.registry());
        reloader = new ConfigReloader(running, holder, this::load, Duration.ofMillis(50));
        reloader.start();
        // The start check reads the file once; edits after it are the test's.
        await().atMost(5, TimeUnit.SECONDS).until(() -> loads.get() == 1);
        return holder;
    }

    @Test
    void appliesAFileReplacedByRenameWithOneSwap() throws Exception {
        RegistryHolder holder = startWith("v1", config(0, 1024, "device-1"));
        AtomicInteger swaps = new AtomicInteger();
        holder.onChange((previous, next) -> swaps.incrementAndGet());
        configsByText.put("v2", config(0, 1024, "device-1", "device-2"));

        replaceFile("v2");

        await().atMost(5, TimeUnit.SECONDS).until(() -> holder.current().clients().containsKey("device-2"));
        assertThat(swaps).hasValue(1);
    }

    @Test
    void keepsTheRunningRegistryWhenTheEditIsInvalid() throws Exception {
        RegistryHolder holder = startWith("v1", config(0, 1024, "device-1"));
        Registry before = holder.current();

        replaceFile("not valid");

        await().atMost(5, TimeUnit.SECONDS).until(() -> loads.get() >= 2);
        assertThat(reloader.reload("test").get(5, TimeUnit.SECONDS)).isEqualTo(ConfigReloader.Outcome.INVALID);
        assertThat(holder.current()).isSameAs(before);
    }

    @Test
    void saysSoWhenAValidChangeFollowsAnIgnoredOneAndWhenRestartSettingsAreReverted() throws Exception {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
        Level previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
        try {
            startWith("v1", config(0, 1024, "device-1"));
            configsByText.put("v2", config(8883, 1024, "device-1"));
            replaceFile("not valid");
            assertThat(reloader.reload("test").get(5, TimeUnit.SECONDS)).isEqualTo(ConfigReloader.Outcome.INVALID);
            replaceFile("v2");
            assertThat(reloader.reload("test").get(5, TimeUnit.SECONDS))
                    .isEqualTo(ConfigReloader.Outcome.UNCHANGED);
            replaceFile("v1");
            assertThat(reloader.reload("test").get(5, TimeUnit.SECONDS))
                    .isEqualTo(ConfigReloader.Outcome.UNCHANGED);

            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(line -> !line.startsWith("Configuration reload"))
                    .anySatisfy(line -> assertThat(line).startsWith("Configuration valid again after an ignored"))
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("Configuration settings changed that apply only after a restart")
                            .contains("listeners.mqtts.port"))
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("Settings that apply only after a restart are back to their running values")
                            .contains("listeners.mqtts.port"));
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(previousLevel);
        }
    }

    @Test
    void handsTheRunningConfigurationToTheAppliersAgainAfterAnIgnoredChange() throws Exception {
        startWith("v1", config(0, 1024, "device-1"));
        LoadedConfig running = reloader.current();
        List<LoadedConfig> applied = new CopyOnWriteArrayList<>();
        reloader.onApplied(applied::add);

        replaceFile("not valid");
        assertThat(reloader.reload("test").get(5, TimeUnit.SECONDS)).isEqualTo(ConfigReloader.Outcome.INVALID);

        // So a subsystem re-reads its own files (a CRL file) though the edit around it was refused.
        assertThat(applied).isNotEmpty().allSatisfy(config -> assertThat(config).isSameAs(running));
    }

    @Test
    void doesNotReplaceTheRegistryWhenOnlyRestartSettingsChanged() throws Exception {
        RegistryHolder holder = startWith("v1", config(0, 1024, "device-1"));
        Registry before = holder.current();
        configsByText.put("v2", config(8883, 2048, "device-1"));
        replaceFile("v2");

        assertThat(reloader.reload("test").get(5, TimeUnit.SECONDS)).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
        assertThat(holder.current()).isSameAs(before);
    }

    @Test
    void ignoresEventsForOtherFilesInTheDirectory() throws Exception {
        startWith("v1", config(0, 1024, "device-1"));

        Files.writeString(directory.resolve("other.log"), "x");
        // The same content written again costs no parse either.
        Files.writeString(file(), "v1");

        // Longer than the debounce: a reload that was wrongly scheduled would have parsed by then.
        await().during(Duration.ofMillis(300)).atMost(2, TimeUnit.SECONDS).until(() -> loads.get() == 1);
    }

    @Test
    void namesTheKeysThatNeedARestart() {
        assertThat(RestartSettings.changedKeys(config(0, 1024), config(8883, 2048)))
                .containsExactly("listeners.mqtts.port", "mqtt.maximumPacketSize");
        assertThat(RestartSettings.changedKeys(config(0, 1024, "a"), config(0, 1024, "b"))).isEmpty();
        assertThat(RestartSettings.changedKeys(config(0, 1024), config(0, 1024)
                .withStorage(new StorageConfig(StorageMode.ROCKSDB, Path.of("/var/lib/portcullis"), false))))
                .containsExactly("storage.mode", "storage.dataDirectory", "storage.sync");
    }

    @Test
    void namesTheAdminListenerKeysButNotTheAdminTrust() {
        BrokerConfig running = config(0, 1024).withAdmin(new AdminConfig(true, "127.0.0.1", 9443, List.of(),
                List.of(), List.of("AB".repeat(32))));
        BrokerConfig trustEdited = config(0, 1024).withAdmin(new AdminConfig(true, "127.0.0.1", 9443, List.of(),
                List.of(), List.of("CD".repeat(32))));
        BrokerConfig listenerEdited = config(0, 1024).withAdmin(new AdminConfig(false, "0.0.0.0", 9444, List.of(),
                List.of(), List.of("AB".repeat(32))));

        assertThat(RestartSettings.changedKeys(running, trustEdited)).isEmpty();
        assertThat(RestartSettings.changedKeys(running, listenerEdited))
                .containsExactly("admin.enabled", "admin.bindAddress", "admin.port");
    }

    @Test
    void describesRegistryChangesBySection() {
        Registry before = config(0, 1024, "device-1", "device-2").toRegistry();
        BrokerConfig edited = config(0, 1024, "device-1", "device-3");
        Client changed = new Client("device-1", "device-1", ValidationScheme.SubjectMatchesAuthenticationName,
                List.of(), ClientState.Disabled, Map.of(), "");
        Registry after = new Registry(edited.namespace(), List.of(), List.of(changed, edited.clients().get(1)),
                List.of(), edited.topicSpaces(), List.of());

        RegistryChanges changes = RegistryChanges.between(before, after);

        assertThat(changes.describe()).isEqualTo("clients: added=1 [device-3], removed=1 [device-2], "
                + "changed=1 [device-1]; permissionBindings: removed=1 [all-pub]");
        assertThat(RegistryChanges.between(before, config(0, 1024, "device-1", "device-2").toRegistry()).isEmpty())
                .isTrue();
    }
}
