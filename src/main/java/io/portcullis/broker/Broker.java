package io.portcullis.broker;

import io.portcullis.auth.CertificateConnectAuthenticator;
import io.portcullis.auth.CertificateTrust;
import io.portcullis.auth.RegistryCertificateVerifier;
import io.portcullis.authorization.PermissionEvaluator;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.LoadedConfig;
import io.portcullis.config.ServerCertificateConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.config.WebSocketListenerConfig;
import io.portcullis.protocol.BrokerContext;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.transport.ListenerBindException;
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
 * authenticator and permission evaluator, the MQTT context, the TLS context with both server
 * certificates, and the MQTTS and secure WebSocket listeners. {@link #start} returns once every
 * enabled listener is bound; {@link #close} stops them. Not thread-safe: start and close from one thread.
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
    private final List<TransportListener> listeners = new ArrayList<>();
    private TransportListener mqtts;
    private TransportListener webSocket;
    private ConfigReloader configReloader;

    private Broker(LoadedConfig loaded, PermissionEvaluator permissionEvaluator, Clock clock) throws Exception {
        this.loaded = Objects.requireNonNull(loaded, "loaded");
        BrokerConfig config = loaded.config();
        this.registry = new RegistryHolder(loaded.registry());

        CertificateTrust trust = new CertificateTrust();
        // Prepare trust anchors for each new snapshot here, off the event loops' handshake path.
        trust.prepare(registry.current());
        registry.onChange((previous, next) -> trust.prepare(next));
        RegistryCertificateVerifier verifier = new RegistryCertificateVerifier(trust, clock);
        CertificateConnectAuthenticator authenticator =
                new CertificateConnectAuthenticator(trust, config.subjectNameMatch(), clock);
        this.context = new BrokerContext(config.mqtt(), registry, authenticator, permissionEvaluator, clock,
                Broker::verifiedClientChain);

        ServerCertificateConfig ec = config.tls().serverCertificate(ServerKeyType.EC_P384);
        ServerCertificateConfig rsa = config.tls().serverCertificate(ServerKeyType.RSA);
        ServerCredentials credentials = ServerCredentials.load(ec.certificate(), ec.privateKey(),
                rsa.certificate(), rsa.privateKey());
        this.tlsContexts = new TlsContextHolder(TlsContextFactory.create(credentials, verifier, registry::current,
                transportEngine(config.tls().engine())));
        this.eventLoops = new TransportEventLoops(0);
    }

    /**
     * Starts a broker and binds its listeners; the caller closes it.
     *
     * @throws ListenerBindException when a listener's port cannot be bound; nothing is left running
     */
    public static Broker start(LoadedConfig loaded, PermissionEvaluator permissionEvaluator) throws Exception {
        Broker broker = new Broker(loaded, permissionEvaluator, Clock.systemUTC());
        try {
            broker.bind();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
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
        LOG.info("Portcullis stopped");
    }
}
