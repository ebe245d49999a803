package io.portcullis.broker;

import io.portcullis.admin.AdminServer;
import io.portcullis.admin.ops.OperationsHandlers;
import io.portcullis.admin.composition.ApiResourceStore;
import io.portcullis.admin.composition.RegistryComposer;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.registry.RegistryHandler;
import io.portcullis.auth.CertificateConnectAuthenticator;
import io.portcullis.auth.CertificateFields;
import io.portcullis.auth.CertificateTrust;
import io.portcullis.auth.RegistryCertificateVerifier;
import io.portcullis.auth.TrustSeparation;
import io.portcullis.auth.revocation.RevocationService;
import io.portcullis.auth.revocation.ServerOcspStapling;
import io.portcullis.authorization.PermissionEvaluator;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.LoadedConfig;
import io.portcullis.config.SessionTicketConfig;
import io.portcullis.config.WebSocketListenerConfig;
import io.portcullis.config.StorageConfig;
import io.portcullis.logging.LogText;
import io.portcullis.metrics.BrokerMetrics;
import io.portcullis.persistence.Recovered;
import io.portcullis.persistence.RocksDbStore;
import io.portcullis.persistence.StoreException;
import io.portcullis.protocol.BrokerContext;
import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.transport.ListenerBindException;
import io.portcullis.routing.Message;
import io.portcullis.session.RecoveredSession;
import io.portcullis.session.StoredSession;
import io.portcullis.transport.AcceptLimiter;
import io.portcullis.transport.ListenerSettings;
import io.portcullis.transport.ServerTlsContext;
import io.portcullis.transport.SessionTickets;
import io.portcullis.transport.TlsConnectionInfo;
import io.portcullis.transport.TlsContextFactory;
import io.portcullis.transport.TlsContextHolder;
import io.portcullis.transport.TlsEngine;
import io.portcullis.transport.TransportEventLoops;
import io.portcullis.transport.TransportListener;
import io.portcullis.transport.WebSocketSettings;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a running broker from a loaded configuration: the registry holder, certificate trust,
 * authenticator and permission evaluator, the durable store (opened and recovered before anything
 * listens), the registry composer (the file's resources plus those made through the admin API, restored
 * from the store), the MQTT context, the TLS context with both server certificates, the accept limiter
 * both listeners share, the certificate expiry monitor, the MQTTS and secure WebSocket listeners, and the
 * admin API when {@code admin.enabled}. {@link #start} returns once every enabled listener is bound;
 * {@link #close} stops them, then flushes and closes the store. Not thread-safe: start and close from one
 * thread.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** How long {@link #close} waits for connected clients to take their DISCONNECT. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final LoadedConfig loaded;
    private final RegistryHolder registry;
    private final RegistryComposer composer;
    private final Clock clock;
    private final BrokerContext context;
    private final TlsContextHolder tlsContexts;
    private final RegistryCertificateVerifier verifier;
    private final TlsEngine tlsEngine;
    private final SessionTickets sessionTickets;
    private final AcceptLimiter acceptLimiter;
    private final CertificateExpiryMonitor expiryMonitor;
    /** Replaced on the reload thread when new server material is swapped in; read by the expiry monitor. */
    private volatile ServerMaterial serverMaterial;
    private volatile Duration expiryWarning;
    private final TransportEventLoops eventLoops;
    private final RocksDbStore store;
    private final RevocationService revocation;
    private final BrokerMetrics metrics;
    private final List<TransportListener> listeners = new ArrayList<>();
    private TransportListener mqtts;
    private TransportListener webSocket;
    private AdminServer admin;
    /** The admin trust last applied, so an unchanged reload does not rebuild it; written on the reload thread. */
    private volatile AdminConfig adminTrust;
    /** The admin CAs of the configuration last loaded; written on the reload thread, read by the admin API. */
    private volatile List<X509Certificate> adminCaCertificates;
    /** The (admin CA, device CA) pairs warned about as sharing an issuer; guarded by {@code this}. */
    private Set<List<Object>> sharedIssuersWarned = Set.of();
    private ConfigReloader configReloader;

    private Broker(LoadedConfig loaded, PermissionEvaluator permissionEvaluator, Clock clock, RocksDbStore store)
            throws Exception {
        this.loaded = Objects.requireNonNull(loaded, "loaded");
        this.store = store;
        BrokerConfig config = loaded.config();
        this.clock = clock;
        this.registry = new RegistryHolder(loaded.registry());
        // Before anything reads the registry: the resources made through the admin API join the file's.
        this.composer = RegistryComposer.open(registry, loaded.registry(),
                store == null ? ApiResourceStore.inMemory() : ApiResourceStore.rocksDb(store),
                Configurations.queryCheck(), Configurations.templateCheck());

        this.adminCaCertificates = config.admin().caCertificates();
        this.adminTrust = config.admin();
        warnAboutSharedIssuer(config.admin(), registry.current());
        composer.reserveForAdmin(() -> adminCaCertificates);
        CertificateTrust trust = new CertificateTrust();
        // Prepare trust anchors for each new snapshot here, off the event loops' handshake path.
        trust.prepare(registry.current());
        registry.onChange((previous, next) -> trust.prepare(next));
        // A device CA registered through the admin API is warned about at once, not at the next reload.
        registry.onChange((previous, next) -> warnAboutSharedIssuer(adminTrust, next));
        // Revocation: the TLS gate asks what memory knows, CONNECT runs the full check, live sessions are rechecked.
        this.revocation = RevocationService.start(config.revocation(), clock, () -> registry.current()
                .caCertificates().values().stream().map(ca -> ca.certificate()).toList());
        this.verifier = new RegistryCertificateVerifier(trust, clock, revocation);
        verifier.updateAdminTrust(config.admin().caCertificates(), config.admin().thumbprints());
        CertificateConnectAuthenticator authenticator =
                new CertificateConnectAuthenticator(trust, config.subjectNameMatch(), clock, verifier::isAdminChain);
        this.context = store == null
                ? new BrokerContext(config.mqtt(), registry, authenticator, permissionEvaluator, clock,
                        Broker::verifiedClientChain)
                : new BrokerContext(config.mqtt(), registry, authenticator, permissionEvaluator, clock,
                        Broker::verifiedClientChain, store, store);
        context.useRevocation(revocation);

        this.serverMaterial = ServerMaterial.read(config);
        this.tlsEngine = transportEngine(config.tls().engine());
        this.sessionTickets = sessionTickets(config.tls().sessionTickets());
        ServerOcspStapling.configure(config.tls().ocspStapling(), config.tls().engine());
        this.tlsContexts = new TlsContextHolder(TlsContextFactory.create(serverMaterial.credentials(), verifier,
                registry::current, tlsEngine, sessionTickets));
        var limits = config.listeners().acceptLimits();
        // One limiter for both listeners: the limits are the broker's, not each port's.
        this.acceptLimiter = new AcceptLimiter(limits.perSecond(), limits.burst(), limits.perSourcePerSecond(),
                limits.perSourceBurst(), limits.maximumHandshakesInProgress(),
                limits.maximumHandshakesInProgressPerSource());
        this.expiryWarning = config.tls().certificateExpiryWarning();
        this.expiryMonitor = new CertificateExpiryMonitor(clock, () -> new CertificateExpiryMonitor.Inputs(
                expiryWarning, serverMaterial, registry.current().caCertificates().values()));
        this.eventLoops = new TransportEventLoops(0);
        this.metrics = new BrokerMetrics(new BrokerMetrics.Sources(context, revocation.metrics(), acceptLimiter,
                tlsContexts, expiryMonitor));
    }

    /**
     * Starts a broker and binds its listeners; the caller closes it. With durable storage the store is
     * opened and recovered first.
     *
     * @throws StoreException when the store cannot be opened or read; nothing was started
     * @throws ListenerBindException when a listener's port cannot be bound; nothing is left running
     */
    public static Broker start(LoadedConfig loaded, PermissionEvaluator permissionEvaluator) throws Exception {
        Clock clock = Clock.systemUTC();
        StorageConfig storage = loaded.config().storage();
        RocksDbStore store = null;
        Recovered recovered = null;
        if (storage.isDurable()) {
            store = RocksDbStore.open(storage.dataDirectory(), storage.sync(), clock);
            try {
                recovered = store.recover();
            } catch (StoreException | RuntimeException e) {
                store.close();
                throw e;
            }
        } else {
            LOG.info("Storage in memory: sessions and retained messages do not survive a restart");
        }
        Broker broker;
        try {
            broker = new Broker(loaded, permissionEvaluator, clock, store);
        } catch (Exception | Error e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
        try {
            if (recovered != null) {
                broker.restore(recovered);
            }
            broker.bind();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** Puts recovered retained messages and sessions back, then publishes Wills that fell due while down. */
    private void restore(Recovered recovered) {
        for (Message message : recovered.retained()) {
            context.retained().restore(message);
        }
        for (RecoveredSession session : recovered.sessions()) {
            StoredSession stored = session.stored();
            Runnable will = stored.will() == null ? null
                    : () -> context.publishRecoveredWill(session.clientId(), stored.authenticationName(),
                    stored.will());
            context.sessions().restore(session, eventLoops.nextWorker(), will);
        }
        for (Recovered.OverdueWill overdue : recovered.overdueWills()) {
            context.publishRecoveredWill(overdue.clientId(), overdue.authenticationName(), overdue.will());
        }
    }

    private void bind() throws InterruptedException, ListenerBindException, SSLException {
        BrokerConfig config = loaded.config();
        if (config.listeners().mqtts().enabled()) {
            mqtts = TransportListener.mqtts(
                    new ListenerSettings("mqtts", config.listeners().mqtts().bindAddress(),
                            config.listeners().mqtts().port(), config.tls().handshakeTimeout()),
                    tlsContexts, context::install, eventLoops, acceptLimiter);
            listeners.add(mqtts);
            mqtts.start();
        }
        WebSocketListenerConfig ws = config.listeners().websocket();
        if (ws.enabled()) {
            webSocket = TransportListener.webSocket(
                    new ListenerSettings("wss", ws.bindAddress(), ws.port(), config.tls().handshakeTimeout()),
                    new WebSocketSettings(ws.path(), ws.maxFrameSize()),
                    tlsContexts, context::install, eventLoops, acceptLimiter);
            listeners.add(webSocket);
            webSocket.start();
        }
        AdminConfig adminConfig = config.admin();
        if (adminConfig.enabled()) {
            admin = AdminServer.start(adminConfig, serverMaterial.credentials(), tlsEngine,
                    config.tls().handshakeTimeout(), adminHandlers(), registry::current, clock);
        } else {
            LOG.info("Admin API disabled (admin.enabled is false)");
        }
        LOG.info("Portcullis started: config={} clients={} caCertificates={}", loaded.file(),
                registry.current().clients().size(), registry.current().caCertificates().size());
        expiryMonitor.start();
    }

    /** Every collection and document the admin API serves, by its key; the one place they are listed. */
    private Map<String, ApiHandler> adminHandlers() {
        Map<String, ApiHandler> handlers = new LinkedHashMap<>();
        handlers.putAll(RegistryHandler.all(composer));
        handlers.putAll(OperationsHandlers.create(context, metrics));
        return handlers;
    }

    /**
     * Applies a reloaded configuration's admin trust when its CAs or thumbprints changed. The MQTT gate refuses
     * them whether or not the admin API runs, and connected devices are re-checked at once: one whose certificate
     * now belongs to the admin trust is disconnected. Reload thread.
     */
    private void applyAdminTrust(AdminConfig edited) {
        if (edited.caCertificates().equals(adminTrust.caCertificates())
                && edited.thumbprints().equals(adminTrust.thumbprints())) {
            return;
        }
        verifier.updateAdminTrust(edited.caCertificates(), edited.thumbprints());
        adminCaCertificates = edited.caCertificates();
        adminTrust = edited;
        if (admin != null) {
            admin.updateTrust(edited);
        }
        context.recheckConnections();
    }

    /**
     * Warns when an admin CA issued a registered device CA (the root above the device intermediate). Allowed:
     * the admin API still refuses every chain that holds the device CA, but the two trusts share a root. Warns
     * too when an admin thumbprint is one a device client allows: that certificate then opens neither door (both
     * gates fail closed). Each such pair is warned about once, not again at every reload or registry change that
     * keeps it. Start, reload and registry-change threads.
     */
    private synchronized void warnAboutSharedIssuer(AdminConfig admin, Registry devices) {
        Set<List<Object>> shared = new HashSet<>();
        for (X509Certificate adminCa : admin.caCertificates()) {
            for (CaCertificate device : devices.caCertificates().values()) {
                if (TrustSeparation.isIssuedBy(device.certificate(), adminCa)
                        && shared.add(List.of(adminCa, device.certificate()))
                        && !sharedIssuersWarned.contains(List.of(adminCa, device.certificate()))) {
                    LOG.warn("Admin CA issued a device CA: adminCa=\"{}\" caCertificate={}; the admin API refuses"
                            + " every certificate below '{}', and admin certificates issued directly by the admin CA"
                            + " still work; a separate admin CA keeps the trusts apart"
                            + " (portcullis pki ca create --name admin-ca)", LogText.safe(subject(adminCa)),
                            LogText.token(device.name()), LogText.safe(device.name()));
                }
            }
        }
        for (String thumbprint : admin.thumbprints()) {
            for (Client client : devices.clients().values()) {
                boolean allowed = client.allowedThumbprints().stream().anyMatch(thumbprint::equalsIgnoreCase);
                if (allowed && shared.add(List.of(thumbprint, client.name()))
                        && !sharedIssuersWarned.contains(List.of(thumbprint, client.name()))) {
                    LOG.warn("Admin thumbprint also allowed for a device: thumbprint={} client={}; that certificate"
                            + " now opens neither MQTT nor the admin API. Fix: remove it from admin.thumbprints or"
                            + " from the client's allowedThumbprints", thumbprint, LogText.token(client.name()));
                }
            }
        }
        sharedIssuersWarned = shared;
    }

    private static SessionTickets sessionTickets(SessionTicketConfig tickets) {
        return new SessionTickets(tickets.enabled(), tickets.keyRotationInterval(), tickets.lifetime());
    }

    /**
     * Builds a TLS context for an edited configuration's server certificates, or returns {@code null} when
     * their files are unchanged. The returned action makes new handshakes use it. Reload thread.
     */
    private Runnable prepareServerTls(LoadedConfig edited) throws Exception {
        if (ServerMaterial.digest(edited.config()).equals(serverMaterial.digest())) {
            return null;
        }
        ServerMaterial material = ServerMaterial.read(edited.config());
        ServerTlsContext next = TlsContextFactory.create(material.credentials(), verifier, registry::current,
                tlsEngine, sessionTickets);
        return () -> {
            // Established connections keep their engine; only handshakes that start after this see the new one.
            tlsContexts.replace(next);
            serverMaterial = material;
            if (admin != null) {
                try {
                    admin.replaceServerCredentials(material.credentials());
                } catch (SSLException e) {
                    LOG.error("Admin API keeps its previous server certificates; the new ones cannot be used there:"
                            + " cause={}", e.toString());
                }
            }
            X509Certificate ec = material.credentials().ecChain().get(0);
            X509Certificate rsa = material.credentials().rsaChain().get(0);
            LOG.info("Server certificates replaced for new connections: ecSubject=\"{}\" ecSerial={} ecNotAfter={} "
                            + "rsaSubject=\"{}\" rsaSerial={} rsaNotAfter={}", subject(ec), serial(ec),
                    ec.getNotAfter().toInstant(), subject(rsa), serial(rsa), rsa.getNotAfter().toInstant());
        };
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    private static String serial(X509Certificate certificate) {
        return CertificateFields.serialHex(certificate);
    }

    private static List<X509Certificate> verifiedClientChain(Channel channel) {
        TlsConnectionInfo info = channel.attr(TlsConnectionInfo.ATTRIBUTE).get();
        return info == null ? List.of() : info.peerChain();
    }

    private static TlsEngine transportEngine(io.portcullis.config.TlsEngine engine) {
        return switch (engine) {
            case AUTO -> TlsEngine.Auto;
            case OPENSSL -> TlsEngine.OpenSsl;
            case JDK -> TlsEngine.Jdk;
        };
    }

    /**
     * Applies later edits of the configuration file and the files it references (and SIGHUP) to the running
     * registry, server certificates and expiry warning; see {@link ConfigReloader}. Idempotent; {@link #close}
     * stops it. Returns the reloader, where other subsystems register with {@link ConfigReloader#onApplied}.
     */
    public ConfigReloader watchConfiguration() throws IOException {
        if (configReloader == null) {
            configReloader = new ConfigReloader(loaded, composer, this::prepareServerTls, Configurations::load,
                    ConfigReloader.DEFAULT_DEBOUNCE);
            configReloader.onApplied(edited -> {
                expiryWarning = edited.config().tls().certificateExpiryWarning();
                expiryMonitor.check();
                revocation.apply(edited.config().revocation());
                applyAdminTrust(edited.config().admin());
                warnAboutSharedIssuer(edited.config().admin(), registry.current());
            });
            configReloader.start();
        }
        return configReloader;
    }

    /** The bound MQTTS port, or -1 when that listener is disabled. */
    public int mqttsPort() {
        return mqtts == null ? -1 : mqtts.port();
    }

    /** The bound secure WebSocket port, or -1 when that listener is disabled. */
    public int webSocketPort() {
        return webSocket == null ? -1 : webSocket.port();
    }

    /** The bound admin API port, or -1 when the admin API is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** The file-declared and API-made registry resources and the one writer of the registry. */
    public RegistryComposer composer() {
        return composer;
    }

    public RegistryHolder registry() {
        return registry;
    }

    public TlsContextHolder tlsContexts() {
        return tlsContexts;
    }

    public BrokerContext context() {
        return context;
    }

    /** Client certificate revocation; {@code apply} it with new settings when the configuration changes. */
    public RevocationService revocation() {
        return revocation;
    }

    /** The broker's meters, served by the admin API at {@code /metrics}. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** The limits on new connections both listeners share, with their counters. */
    public AcceptLimiter acceptLimiter() {
        return acceptLimiter;
    }

    /** Server and CA certificate expiry: the latest check's counts. */
    public CertificateExpiryMonitor expiryMonitor() {
        return expiryMonitor;
    }

    /**
     * Stops the broker: file watching and the admin API, then every connected client is told (MQTT 5
     * DISCONNECT 0x8B, waiting at most {@link #SHUTDOWN_GRACE} for their connections to close), then the
     * listeners and event loops.
     */
    @Override
    public void close() {
        if (configReloader != null) {
            configReloader.close();
        }
        if (admin != null) {
            // First: no admin change may reach the registry or the store while the broker stops.
            admin.close();
        }
        expiryMonitor.close();
        // Before the listeners stop: they close every connection, and then no DISCONNECT can be sent.
        context.shutdown(SHUTDOWN_GRACE);
        for (TransportListener listener : listeners) {
            listener.stop();
        }
        eventLoops.close();
        revocation.close();
        if (store != null) {
            // After the loops: connections closed by the shutdown store their sessions' disconnect time.
            store.close();
        }
        LOG.info("Portcullis stopped");
    }
}
