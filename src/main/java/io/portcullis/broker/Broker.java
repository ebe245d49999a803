package io.portcullis.broker;

import io.portcullis.auth.CertificateConnectAuthenticator;
import io.portcullis.auth.CertificateTrust;
import io.portcullis.auth.RegistryCertificateVerifier;
import io.portcullis.auth.revocation.RevocationService;
import io.portcullis.auth.revocation.ServerOcspStapling;
import io.portcullis.authorization.PermissionEvaluator;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.LoadedConfig;
import io.portcullis.config.ServerCertificateConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.config.WebSocketListenerConfig;
import io.portcullis.config.StorageConfig;
import io.portcullis.persistence.Recovered;
import io.portcullis.persistence.RocksDbStore;
import io.portcullis.persistence.StoreException;
import io.portcullis.protocol.BrokerContext;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.transport.ListenerBindException;
import io.portcullis.routing.Message;
import io.portcullis.session.RecoveredSession;
import io.portcullis.session.StoredSession;
import io.portcullis.transport.ListenerSettings;
import io.portcullis.transport.ServerCredentials;
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

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a running broker from a loaded configuration: the registry holder, certificate trust,
 * authenticator and permission evaluator, the durable store (opened and recovered before anything
 * listens), the MQTT context, the TLS context with both server certificates, and the MQTTS and secure
 * WebSocket listeners. {@link #start} returns once every enabled listener is bound; {@link #close} stops
 * them, then flushes and closes the store. Not thread-safe: start and close from one thread.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** How long {@link #close} waits for connected clients to take their DISCONNECT. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final LoadedConfig loaded;
    private final RegistryHolder registry;
    private final BrokerContext context;
    private final TlsContextHolder tlsContexts;
    private final TransportEventLoops eventLoops;
    private final RocksDbStore store;
    private final RevocationService revocation;
    private final List<TransportListener> listeners = new ArrayList<>();
    private TransportListener mqtts;
    private TransportListener webSocket;
    private ConfigReloader configReloader;

    private Broker(LoadedConfig loaded, PermissionEvaluator permissionEvaluator, Clock clock, RocksDbStore store)
            throws Exception {
        this.loaded = Objects.requireNonNull(loaded, "loaded");
        this.store = store;
        BrokerConfig config = loaded.config();
        this.registry = new RegistryHolder(loaded.registry());

        CertificateTrust trust = new CertificateTrust();
        // Prepare trust anchors for each new snapshot here, off the event loops' handshake path.
        trust.prepare(registry.current());
        registry.onChange((previous, next) -> trust.prepare(next));
        // Revocation: the TLS gate asks what memory knows, CONNECT runs the full check, live sessions are rechecked.
        this.revocation = RevocationService.start(config.revocation(), clock, () -> registry.current()
                .caCertificates().values().stream().map(ca -> ca.certificate()).toList());
        RegistryCertificateVerifier verifier = new RegistryCertificateVerifier(trust, clock, revocation);
        CertificateConnectAuthenticator authenticator =
                new CertificateConnectAuthenticator(trust, config.subjectNameMatch(), clock);
        this.context = store == null
                ? new BrokerContext(config.mqtt(), registry, authenticator, permissionEvaluator, clock,
                        Broker::verifiedClientChain)
                : new BrokerContext(config.mqtt(), registry, authenticator, permissionEvaluator, clock,
                        Broker::verifiedClientChain, store, store);
        context.useRevocation(revocation);

        ServerCertificateConfig ec = config.tls().serverCertificate(ServerKeyType.EC_P384);
        ServerCertificateConfig rsa = config.tls().serverCertificate(ServerKeyType.RSA);
        ServerCredentials credentials = ServerCredentials.load(ec.certificate(), ec.privateKey(),
                rsa.certificate(), rsa.privateKey());
        ServerOcspStapling.configure(config.tls().ocspStapling(), config.tls().engine());
        this.tlsContexts = new TlsContextHolder(TlsContextFactory.create(credentials, verifier, registry::current,
                transportEngine(config.tls().engine())));
        this.eventLoops = new TransportEventLoops(0);
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

    private void bind() throws InterruptedException, ListenerBindException {
        BrokerConfig config = loaded.config();
        if (config.listeners().mqtts().enabled()) {
            mqtts = TransportListener.mqtts(
                    new ListenerSettings("mqtts", config.listeners().mqtts().bindAddress(),
                            config.listeners().mqtts().port(), config.tls().handshakeTimeout()),
                    tlsContexts, context::install, eventLoops);
            listeners.add(mqtts);
            mqtts.start();
        }
        WebSocketListenerConfig ws = config.listeners().websocket();
        if (ws.enabled()) {
            webSocket = TransportListener.webSocket(
                    new ListenerSettings("wss", ws.bindAddress(), ws.port(), config.tls().handshakeTimeout()),
                    new WebSocketSettings(ws.path(), ws.maxFrameSize()),
                    tlsContexts, context::install, eventLoops);
            listeners.add(webSocket);
            webSocket.start();
        }
        LOG.info("Portcullis started: config={} clients={} caCertificates={}", loaded.file(),
                registry.current().clients().size(), registry.current().caCertificates().size());
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
     * Applies later edits of the configuration file (and SIGHUP) to the running registry; see
     * {@link ConfigReloader}. Idempotent; {@link #close} stops it. Returns the reloader.
     */
    public ConfigReloader watchConfiguration() throws IOException {
        if (configReloader == null) {
            configReloader = new ConfigReloader(loaded, registry);
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

    /**
     * Stops the broker: file watching, then every connected client is told (MQTT 5 DISCONNECT 0x8B, waiting
     * at most {@link #SHUTDOWN_GRACE} for their connections to close), then the listeners and event loops.
     */
    @Override
    public void close() {
        if (configReloader != null) {
            configReloader.close();
        }
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
