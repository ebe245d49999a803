package io.portcullis.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.portcullis.auth.ConnectAuthenticator;
import io.portcullis.auth.revocation.RevocationService;
import io.portcullis.auth.revocation.RevocationVerdict;
import io.portcullis.authorization.AccessDecision;
import io.portcullis.authorization.PermissionEvaluator;
import io.portcullis.config.MqttSettings;
import io.portcullis.logging.LogText;
import io.portcullis.protocol.codec.MqttPacketDecoder;
import io.portcullis.protocol.codec.MqttPacketEncoder;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.routing.Message;
import io.portcullis.routing.RetainResult;
import io.portcullis.routing.RetainedJournal;
import io.portcullis.routing.RetainedStore;
import io.portcullis.routing.SubscriptionTree;
import io.portcullis.session.InMemorySessionStore;
import io.portcullis.session.SessionJournal;
import io.portcullis.session.SessionMetrics;
import io.portcullis.session.SessionRegistry;
import io.portcullis.session.SessionServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The broker-wide MQTT state every connection shares: settings, the registry, authentication and
 * authorization, sessions, the subscription tree and the retained store. The transport calls
 * {@link #install} for each new connection after TLS. Thread-safe; built once at start-up.
 *
 * <p>Registry changes are applied to live connections: each connected client re-checks its
 * authentication, permissions and subscriptions on its own event loop (see
 * {@link MqttConnectionHandler}). So are revocations found by the live-session recheck of
 * {@link #useRevocation}: the check runs off the event loops and the disconnect on the connection's loop.
 */
public final class BrokerContext {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerContext.class);
    static final int MAXIMUM_RECHECKS_IN_FLIGHT = 256;

    private final MqttSettings settings;
    private final RegistryHolder registry;
    private final ConnectAuthenticator authenticator;
    private final PermissionEvaluator permissionEvaluator;
    private final Clock clock;
    private final Function<Channel, List<X509Certificate>> clientCertificates;
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedStore retained;
    private final SessionRegistry sessions;
    private final SessionJournal journal;
    private final SessionMetrics sessionMetrics = new SessionMetrics();
    private final ProtocolMetrics protocolMetrics = new ProtocolMetrics();
    private final Set<MqttConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    /** Set once at start-up, before any listener binds; {@code null} when revocation is not wired in. */
    private volatile RevocationService revocation;

    /**
     * @param clientCertificates the verified client chain of a connection, leaf first; production code
     *                           passes {@link #certificatesFromSslHandler}, tests supply their own
     */
    public BrokerContext(MqttSettings settings, RegistryHolder registry, ConnectAuthenticator authenticator,
                         PermissionEvaluator permissionEvaluator, Clock clock,
                         Function<Channel, List<X509Certificate>> clientCertificates) {
        this(settings, registry, authenticator, permissionEvaluator, clock, clientCertificates, SessionJournal.MEMORY,
                RetainedJournal.NONE);
    }

    /**
     * @param journal         where sessions store their state ({@link SessionJournal#MEMORY} keeps none)
     * @param retainedJournal where retained messages are stored ({@link RetainedJournal#NONE} keeps none)
     */
    public BrokerContext(MqttSettings settings, RegistryHolder registry, ConnectAuthenticator authenticator,
                         PermissionEvaluator permissionEvaluator, Clock clock,
                         Function<Channel, List<X509Certificate>> clientCertificates, SessionJournal journal,
                         RetainedJournal retainedJournal) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.permissionEvaluator = Objects.requireNonNull(permissionEvaluator, "permissionEvaluator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clientCertificates = Objects.requireNonNull(clientCertificates, "clientCertificates");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.retained = new RetainedStore(settings.maximumRetainedMessages(), settings.maximumRetainedMessageSize(),
                retainedJournal);
        this.sessions = new SessionRegistry(new InMemorySessionStore(),
                new SessionServices(settings, subscriptions, clock, sessionMetrics, journal));
        registry.onChange(this::registryChanged);
    }

    /** The production setup: system clock, client certificates from the pipeline's {@link SslHandler}. */
    public BrokerContext(MqttSettings settings, RegistryHolder registry, ConnectAuthenticator authenticator,
                         PermissionEvaluator permissionEvaluator) {
        this(settings, registry, authenticator, permissionEvaluator, Clock.systemUTC(),
                BrokerContext::certificatesFromSslHandler);
    }

    /**
     * Adds the MQTT handlers to a connection's pipeline, after whatever the transport put first (TLS,
     * WebSocket framing). Runs on the channel's event loop or before registration.
     */
    public void install(ChannelPipeline pipeline) {
        // Bytes to packets, with the packet size limit; a malformed packet becomes a value for the handler.
        pipeline.addLast("mqttDecoder", new MqttPacketDecoder(settings.maximumPacketSize(), true));
        // Packets to bytes; the protocol handler sets its version when it reads the CONNECT.
        pipeline.addLast("mqttEncoder", new MqttPacketEncoder());
        installProtocolHandlers(pipeline);
    }

    /**
     * The handlers after the codec, in order. Tests that exchange packet objects install only these.
     */
    public void installProtocolHandlers(ChannelPipeline pipeline) {
        // After the decoder: any decoded packet, the CONNECT first, stops the clock; removes itself.
        pipeline.addLast("connectTimeout", new ConnectTimeoutHandler(settings.connectTimeout()));
        // Before the protocol handler so it sees every packet; started with the keep alive at CONNACK.
        pipeline.addLast("keepAlive", new KeepAliveHandler());
        // The connection's MQTT state machine and its session.
        pipeline.addLast("mqttProtocol", new MqttConnectionHandler(this));
        // Last: whatever no handler dealt with is logged once and closes the connection.
        pipeline.addLast("tailExceptions", TailExceptionHandler.INSTANCE);
    }

    /** Reads the client chain the TLS handshake verified from the pipeline's {@link SslHandler}. */
    public static List<X509Certificate> certificatesFromSslHandler(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : ssl.engine().getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * Publishes a message the broker made on a client's behalf (a Will): stores it when retained, then
     * routes it. Returns the number of deliveries. Any thread.
     */
    int publishOnBehalf(Message message) {
        if (message.retain()) {
            RetainResult result = retained.retain(message);
            if (result.isRefused()) {
                LOG.warn("Retained message refused: clientId={} topic={} reason=\"{}\"",
                        LogText.token(message.publisherClientId()), LogText.token(message.topic()),
                        LogText.safe(result.reason()));
            }
        }
        return subscriptions.route(message);
    }

    /**
     * Publishes the Will of a session restored from the durable store, checked against the registry as it
     * is when the Will is due: the client must still exist, be enabled and may publish to the Will topic.
     * Any thread.
     */
    public void publishRecoveredWill(String clientId, String authenticationName, Message will) {
        Registry current = registry.current();
        Client client = current.clientByAuthenticationName(authenticationName);
        if (client == null || !client.isEnabled()) {
            LOG.info("Will not published, client gone or disabled: clientId={} authName={} topic={}",
                    LogText.token(clientId), LogText.token(authenticationName), LogText.token(will.topic()));
            return;
        }
        AccessDecision decision = permissionEvaluator.permissionsFor(client, current).checkPublish(will.topic());
        if (!decision.allowed()) {
            LOG.info("Will not published, not authorized: clientId={} authName={} topic={}",
                    LogText.token(clientId), LogText.token(authenticationName), LogText.token(will.topic()));
            return;
        }
        Message message = new Message(will.topic(), will.qos(), will.retain(), will.payload(), will.properties(),
                clientId, clock.millis());
        int deliveries = publishOnBehalf(message);
        LOG.debug("Will published: clientId={} topic={} deliveries={}", LogText.token(clientId),
                LogText.token(will.topic()), deliveries);
    }

    private void registryChanged(Registry previous, Registry next) {
        for (MqttConnectionHandler connection : connections) {
            connection.registryChanged(next);
        }
    }

    /**
     * Re-checks every connected client against the current registry as a registry change would (authentication,
     * permissions, subscriptions), each on its own loop; for changes the authenticator sees outside the registry,
     * such as the admin trust. Any thread.
     */
    public void recheckConnections() {
        registryChanged(registry.current(), registry.current());
    }

    /**
     * Checks client certificates for revocation at CONNECT and re-checks connected clients when the service says
     * a recheck is due. Call once at start-up, before the listeners bind.
     */
    public void useRevocation(RevocationService service) {
        this.revocation = Objects.requireNonNull(service, "service");
        service.onRecheckDue(this::recheckRevocation);
    }

    /** The revocation service, or {@code null} when none is wired in. */
    RevocationService revocation() {
        return revocation;
    }

    /**
     * On the revocation scheduler thread: checks every connected client's chain, at most
     * {@link #MAXIMUM_RECHECKS_IN_FLIGHT} at a time so a large fleet cannot flood the fetch queue, and hands each
     * revoked verdict to the connection's own loop, which disconnects it.
     */
    private void recheckRevocation() {
        RevocationService service = revocation;
        Semaphore window = new Semaphore(MAXIMUM_RECHECKS_IN_FLIGHT);
        for (MqttConnectionHandler connection : connections) {
            List<X509Certificate> chain = connection.certificateChain();
            if (chain.isEmpty()) {
                continue;
            }
            try {
                window.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            service.recheck(chain).whenComplete((verdict, error) -> {
                window.release();
                if (verdict instanceof RevocationVerdict.Revoked revoked) {
                    connection.certificateRevoked(revoked);
                }
            });
        }
    }

    void register(MqttConnectionHandler connection) {
        connections.add(connection);
    }

    void unregister(MqttConnectionHandler connection) {
        connections.remove(connection);
    }

    /**
     * The broker is stopping: asks every connected client's connection, on its own event loop, to send
     * MQTT 5 DISCONNECT 0x8B Server shutting down (3.1.1: just close), and waits up to {@code timeout} for
     * them to close. Connections still in their CONNECT are left to the listeners, which close everything
     * next. Returns how many were still open at the deadline. Call from a thread that is not an event loop.
     */
    public int shutdown(Duration timeout) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (MqttConnectionHandler connection : connections) {
            closing.add(connection.serverShuttingDown());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int open = 0;
        for (ChannelFuture closed : closing) {
            long remaining = Math.max(0, deadline - System.nanoTime());
            if (!closed.awaitUninterruptibly(remaining, TimeUnit.NANOSECONDS)) {
                open++;
            }
        }
        LOG.info("Clients told the server is shutting down: connections={} stillOpen={}", closing.size(), open);
        return open;
    }

    /** Connections that completed CONNECT and are still open. */
    public int connectionCount() {
        return connections.size();
    }

    public MqttSettings settings() {
        return settings;
    }

    public RegistryHolder registry() {
        return registry;
    }

    public ConnectAuthenticator authenticator() {
        return authenticator;
    }

    public PermissionEvaluator permissionEvaluator() {
        return permissionEvaluator;
    }

    public Clock clock() {
        return clock;
    }

    Function<Channel, List<X509Certificate>> clientCertificates() {
        return clientCertificates;
    }

    public SubscriptionTree subscriptions() {
        return subscriptions;
    }

    public RetainedStore retained() {
        return retained;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public SessionJournal journal() {
        return journal;
    }

    public SessionMetrics sessionMetrics() {
        return sessionMetrics;
    }

    public ProtocolMetrics protocolMetrics() {
        return protocolMetrics;
    }
}
