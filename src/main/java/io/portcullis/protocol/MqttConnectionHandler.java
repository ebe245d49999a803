package io.portcullis.protocol;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.auth.ConnectCredentials;
import io.portcullis.auth.Identity;
import io.portcullis.auth.revocation.RevocationVerdict;
import io.portcullis.authorization.AccessDecision;
import io.portcullis.authorization.ClientPermissions;
import io.portcullis.config.MqttSettings;
import io.portcullis.logging.LogText;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MalformedPacket;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttPacketEncoder;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Pubcomp;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.protocol.codec.Unsubscribe;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;
import io.portcullis.routing.Message;
import io.portcullis.session.ConnectionDescription;
import io.portcullis.session.PublisherThrottle;
import io.portcullis.session.Session;
import io.portcullis.session.SessionConnection;
import io.portcullis.session.SessionJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One connection's MQTT state machine: CONNECT (see {@link ConnectFlow}), then the packet flows of a
 * connected client (publishes in {@link PublishFlow}, subscriptions in {@link SubscribeFlow}), and
 * {@link #close}, the one place every server-side close goes through. It is the session's
 * {@link SessionConnection} while it holds the session, and the {@link PublisherThrottle} that slow
 * subscribers pause. Confined to the connection's event loop; other threads reach it only through
 * {@link #pause}, {@link #resume}, {@link #registryChanged}, {@link #certificateRevoked} and
 * {@link #serverShuttingDown}, which hand over with {@code execute}, and {@link #certificateChain}, which reads
 * a field published once at CONNACK.
 */
public final class MqttConnectionHandler extends ChannelInboundHandlerAdapter
        implements SessionConnection, PublisherThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);

    enum State {
        AWAITING_CONNECT,
        /** CONNECT read, CONNACK not yet sent; later packets wait in {@code deferred}. */
        CONNECTING,
        CONNECTED,
        CLOSED
    }

    final BrokerContext broker;
    final MqttSettings settings;
    private final ConnectFlow connectFlow;
    private final PublishFlow publishFlow;
    private final SubscribeFlow subscribeFlow;
    private final List<MqttPacket> deferred = new ArrayList<>();
    private final Set<Object> pausedBy = new HashSet<>();

    ChannelHandlerContext ctx;
    State state = State.AWAITING_CONNECT;
    MqttVersion version;
    Connect connect;
    String clientId;
    Identity identity;
    ConnectCredentials credentials;
    ClientPermissions permissions;
    Session session;
    private boolean connackSent;
    private boolean outcomeLogged;
    /** Acknowledgements waiting for the durable store; later ones wait behind them to keep their order. */
    private int acknowledgementsWaiting;
    private ScheduledFuture<?> certificateExpiry;
    /** The handshake's client chain, published at CONNACK for the live-session revocation recheck. */
    private volatile List<X509Certificate> acceptedChain = List.of();
    private long connectedAtMillis;

    MqttConnectionHandler(BrokerContext broker) {
        this.broker = broker;
        this.settings = broker.settings();
        this.connectFlow = new ConnectFlow(this);
        this.publishFlow = new PublishFlow(this);
        this.subscribeFlow = new SubscribeFlow(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ---------------------------------------------------------------- inbound packets

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        switch (state) {
            case AWAITING_CONNECT -> onFirstPacket(packet);
            case CONNECTING -> deferred.add(packet);
            case CONNECTED -> onPacket(packet);
            case CLOSED -> {
            }
        }
    }

    private void onFirstPacket(MqttPacket packet) {
        if (packet instanceof MalformedPacket malformed) {
            if (malformed.version() != null) {
                useVersion(malformed.version());
            }
            onMalformed(malformed);
        } else if (packet instanceof Connect connectPacket) {
            connectFlow.onConnect(connectPacket);
        } else {
            // The first packet must be CONNECT [MQTT-3.1.0-1]; no version is known to answer in.
            protocolError("the first packet is " + packet.type() + ", not CONNECT");
        }
    }

    private void onPacket(MqttPacket packet) {
        if (packet instanceof MalformedPacket malformed) {
            onMalformed(malformed);
            return;
        }
        switch (packet.type()) {
            case PUBLISH -> publishFlow.onPublish((Publish) packet);
            case PUBACK -> session.onPuback(((Puback) packet).packetId());
            case PUBREC -> session.onPubrec(((Pubrec) packet).packetId(), ((Pubrec) packet).reasonCode());
            case PUBREL -> publishFlow.onPubrel((Pubrel) packet);
            case PUBCOMP -> session.onPubcomp(((Pubcomp) packet).packetId());
            case SUBSCRIBE -> subscribeFlow.onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> subscribeFlow.onUnsubscribe((Unsubscribe) packet);
            case PINGREQ -> ctx.writeAndFlush(Pingresp.INSTANCE);
            case DISCONNECT -> onDisconnect((Disconnect) packet);
            // A second CONNECT is a protocol error [MQTT-3.1.0-2].
            case CONNECT -> protocolError("a second CONNECT on the same connection");
            // Enhanced authentication is not offered, so no CONNECT named an Authentication Method and any
            // AUTH is a protocol error (MQTT 5.0 section 4.12: AUTH only follows a CONNECT with a method).
            case AUTH -> protocolError("AUTH without enhanced authentication");
            default -> protocolError(packet.type() + " is not sent by clients");
        }
    }

    private void onMalformed(MalformedPacket malformed) {
        broker.protocolMetrics().protocolError();
        close(malformed.reasonCode(), malformed.reason(), true);
    }

    void protocolError(String reason) {
        broker.protocolMetrics().protocolError();
        close(ReasonCode.PROTOCOL_ERROR, reason, true);
    }

    private void onDisconnect(Disconnect disconnect) {
        if (version.isV5() && disconnect.sessionExpiryInterval() != null) {
            long requested = disconnect.sessionExpiryInterval();
            if (connect.sessionExpiryInterval() == 0 && requested != 0) {
                // Expiry 0 at CONNECT cannot become non-zero at DISCONNECT [MQTT-3.14.2-2].
                protocolError("DISCONNECT sets a Session Expiry Interval after CONNECT set 0");
                return;
            }
            session.sessionExpirySeconds(Math.min(requested, settings.maximumSessionExpirySeconds()));
        }
        // A normal DISCONNECT discards the Will [MQTT-3.14.4-3]; any other reason (0x04 included) keeps it.
        boolean publishWill = version.isV5() && disconnect.reasonCode() != ReasonCode.NORMAL_DISCONNECTION;
        state = State.CLOSED;
        detachSession(publishWill);
        logOutcome("client disconnected", version.isV5() ? loggedCode(disconnect.reasonCode(), false)
                : ConnectionLog.NO_CODE);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == KeepAliveHandler.TIMEOUT) {
            close(ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet within 1.5 times the keep alive", true);
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && state == State.CONNECTED) {
            session.onWritable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state != State.CLOSED) {
            State previous = state;
            state = State.CLOSED;
            // Network loss without DISCONNECT: the Will goes out [MQTT-3.1.2-8].
            detachSession(previous == State.CONNECTED);
            if (previous != State.AWAITING_CONNECT) {
                logOutcome("connection lost", ConnectionLog.NO_CODE);
            }
        }
        cancelCertificateExpiry();
        super.channelInactive(ctx);
    }

    /**
     * Exceptions from below: the network going away is routine (DEBUG); what the peer broke (TLS, WebSocket
     * framing, undecodable bytes) is one rate-limited WARN without a stack trace; anything else is a broker
     * bug, logged as ERROR with its stack trace and answered 0x80.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable thrown) {
        ConnectionFailure failure = ConnectionFailure.of(thrown);
        if (state == State.CLOSED || failure.kind() == ConnectionFailure.Kind.NETWORK) {
            LOG.debug("Connection failed: clientId={} remote={} state={} cause=\"{}\"", LogText.token(clientId),
                    LogText.safe(remote()), state, LogText.safe(failure.describe()));
            ctx.close();
            return;
        }
        switch (failure.kind()) {
            case TRANSPORT -> {
                // TLS or WebSocket framing is broken (the WebSocket decoder has already sent its Close frame), so
                // no MQTT packet can follow: close, and let channelInactive detach the session with its Will.
                ConnectionLog.failed(broker.clock().millis(), failure.describe(), authName(), clientId, protocol(),
                        remote());
                outcomeLogged = true;
                ctx.close();
            }
            case MALFORMED -> {
                ConnectionLog.failed(broker.clock().millis(), failure.describe(), authName(), clientId, protocol(),
                        remote());
                outcomeLogged = true;
                broker.protocolMetrics().protocolError();
                close(ReasonCode.MALFORMED_PACKET, "malformed data", true);
            }
            default -> {
                LOG.error("Protocol handler failed: clientId={} authName={} remote={}", LogText.token(clientId),
                        LogText.token(authName()), LogText.safe(remote()), thrown);
                close(ReasonCode.UNSPECIFIED_ERROR, "internal error", true);
            }
        }
    }

    // ---------------------------------------------------------------- CONNECT outcome (called by ConnectFlow)

    /** The CONNECT is read: fix the version for the encoder and hold later packets until CONNACK. */
    void beginConnect(Connect connectPacket) {
        state = State.CONNECTING;
        connect = connectPacket;
        useVersion(connectPacket.version());
    }

    private void useVersion(MqttVersion connectVersion) {
        version = connectVersion;
        MqttPacketEncoder encoder = ctx.pipeline().get(MqttPacketEncoder.class);
        if (encoder != null) {
            encoder.version(connectVersion);
        }
    }

    /** Stops reading while the session is handed over from another loop. */
    void holdReading() {
        updateAutoRead();
    }

    /** Sends CONNACK and starts the connected life: keep alive, the session's re-sends, deferred packets. */
    void accepted(Session claimed, Connack connack, int keepAliveSeconds, boolean sessionPresent) {
        ctx.write(connack);
        connackSent = true;
        state = State.CONNECTED;
        connectedAtMillis = broker.clock().millis();
        session = claimed;

        KeepAliveHandler keepAlive = ctx.pipeline().get(KeepAliveHandler.class);
        if (keepAlive != null) {
            keepAlive.start(keepAliveSeconds);
        }
        // The registry may have changed while the session was offline.
        removeSubscriptionsNoLongerAllowed(permissions);
        claimed.attach(this);
        acceptedChain = credentials.certificateChain();
        broker.register(this);
        broker.protocolMetrics().connectionAccepted();
        ConnectionLog.connected(authName(), clientId, protocol(), remote(), sessionPresent);
        scheduleCertificateExpiry();
        updateAutoRead();

        List<MqttPacket> waiting = List.copyOf(deferred);
        deferred.clear();
        for (MqttPacket packet : waiting) {
            if (state != State.CONNECTED) {
                break;
            }
            onPacket(packet);
        }
    }

    /**
     * Refuses the CONNECT: one WARN line, then CONNACK with the version's code (or a bare close).
     * {@code authName} is the authentication name resolved before the refusal, null if none was.
     */
    void refuse(int reasonCode, String reasonString, String logReason, String authName, String subject,
                String thumbprint) {
        broker.protocolMetrics().connectionRefused();
        ConnectionLog.refused(broker.clock().millis(), logReason, loggedCode(reasonCode, true), authName, clientId,
                subject, thumbprint, protocol(), remote());
        outcomeLogged = true;
        close(reasonCode, reasonString, false);
    }

    private void scheduleCertificateExpiry() {
        long delay = identity.certificateNotAfter().toEpochMilli() - broker.clock().millis();
        certificateExpiry = ctx.executor().schedule(
                () -> close(ReasonCode.NOT_AUTHORIZED, "client certificate expired", true),
                Math.max(0, delay), TimeUnit.MILLISECONDS);
    }

    private void cancelCertificateExpiry() {
        if (certificateExpiry != null) {
            certificateExpiry.cancel(false);
            certificateExpiry = null;
        }
    }

    // ---------------------------------------------------------------- the disconnector

    /**
     * Every server-side close: answers what the version allows (CONNACK with the code while the CONNECT
     * is unanswered; MQTT 5 DISCONNECT with reason code and string after; nothing more in MQTT 3.1.1),
     * detaches the session (publishing the Will when asked: abnormal closes), logs once and closes.
     */
    void close(int reasonCode, String reason, boolean publishWill) {
        if (state == State.CLOSED) {
            return;
        }
        State previous = state;
        state = State.CLOSED;
        boolean answersConnect = !connackSent;
        MqttPacket last = lastPacket(reasonCode, reason);
        detachSession(publishWill && previous == State.CONNECTED);
        cancelCertificateExpiry();
        logOutcome(reason, loggedCode(reasonCode, answersConnect));
        if (last != null) {
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private MqttPacket lastPacket(int reasonCode, String reason) {
        if (!connackSent) {
            connackSent = true;
            if (version == null) {
                // Unknown protocol level: answer in 3.1.1 form, which is what the encoder writes by default
                // [MQTT-3.1.2-2].
                return reasonCode == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION
                        ? Connack.of(false, ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION, null)
                        : null;
            }
            if (version.isV5()) {
                return ReasonCode.isError(reasonCode) ? Connack.of(false, reasonCode, reason) : null;
            }
            int returnCode = ConnackCodes.toV3(reasonCode);
            return returnCode > 0 ? Connack.of(false, returnCode, null) : null;
        }
        return version.isV5() ? Disconnect.of(reasonCode, reason) : null;
    }

    private void detachSession(boolean publishWill) {
        Session held = session;
        if (held == null) {
            return;
        }
        session = null;
        broker.unregister(this);
        Connect.Will will = connect.will();
        Runnable willPublisher = publishWill && will != null ? willPublisher(will) : null;
        long willDelay = willPublisher != null && version.isV5() ? will.willDelayInterval() : 0;
        Message willMessage = willPublisher == null ? null : new Message(will.topic(), will.qos(), will.retain(),
                will.payload(), will.properties().withTopicAlias(0).withSubscriptionIdentifiers(List.of()), clientId,
                broker.clock().millis());
        held.detach(this, willPublisher, willMessage, willDelay);
    }

    private Runnable willPublisher(Connect.Will will) {
        String publisher = clientId;
        String authName = authName();
        ClientPermissions granted = permissions;
        return () -> {
            // Checked at CONNECT; checked again because permissions can change before a delayed Will.
            AccessDecision decision = granted.checkPublish(will.topic());
            if (!decision.allowed()) {
                LOG.info("Will not published, not authorized: clientId={} authName={} topic={}",
                        LogText.token(publisher), LogText.token(authName), LogText.token(will.topic()));
                return;
            }
            PublishProperties properties = will.properties().withTopicAlias(0).withSubscriptionIdentifiers(List.of());
            Message message = new Message(will.topic(), will.qos(), will.retain(), will.payload(), properties,
                    publisher, broker.clock().millis());
            int deliveries = broker.publishOnBehalf(message);
            LOG.debug("Will published: clientId={} topic={} deliveries={}", LogText.token(publisher),
                    LogText.token(will.topic()), deliveries);
        };
    }

    private void logOutcome(String reason, String code) {
        if (outcomeLogged) {
            return;
        }
        outcomeLogged = true;
        ConnectionLog.disconnected(reason, code, authName(), clientId, protocol(), remote());
    }

    /**
     * The code fields of a log line for what the broker sends: the MQTT 5 reason code; for MQTT 3.1.1 the
     * CONNACK return code, or, once connected, a note that the connection was closed without a code,
     * since MQTT 3.1.1 has no reason code in DISCONNECT (nor a server DISCONNECT at all).
     */
    private String loggedCode(int reasonCode, boolean answersConnect) {
        if (reasonCode < 0) {
            return ConnectionLog.NO_CODE;
        }
        if (version == null || version.isV5()) {
            return "code=0x" + String.format("%02X", reasonCode);
        }
        if (answersConnect) {
            int returnCode = ConnackCodes.toV3(reasonCode);
            return returnCode > 0 ? "returnCode=" + returnCode : ConnectionLog.NO_CODE;
        }
        return ConnectionLog.NO_CODE + " closed=\"by the broker; MQTT 3.1.1 has no reason codes\"";
    }

    // ---------------------------------------------------------------- live registry changes

    /** Any thread: re-checks this connection against a new registry snapshot on its own loop. */
    void registryChanged(Registry next) {
        ctx.executor().execute(() -> reevaluate(next));
    }

    private void reevaluate(Registry next) {
        if (state != State.CONNECTED) {
            return;
        }
        Client client = next.clients().get(identity.client().name());
        if (client == null || !client.isEnabled()) {
            // Removing or disabling a client is an operator's act: 0x98 Administrative action.
            String reason = client == null ? "client removed from the registry" : "client disabled";
            ConnectionLog.info("Client access changed: clientId={} authName={} change=\"{}\"", clientId, authName(),
                    reason);
            close(ReasonCode.ADMINISTRATIVE_ACTION, reason, true);
            return;
        }
        var result = broker.authenticator().authenticate(credentials, next);
        if (result instanceof io.portcullis.auth.AuthenticationResult.Refused refused) {
            ConnectionLog.info("Client access changed: clientId={} authName={} change=\"no longer authenticated: {}\"",
                    clientId, authName(), refused.logReason());
            close(ReasonCode.NOT_AUTHORIZED, refused.reasonString(), true);
            return;
        }
        ClientPermissions updated = broker.permissionEvaluator().permissionsFor(client, next);
        if (!updated.hasAnyPermission()) {
            ConnectionLog.info("Client access changed: clientId={} authName={} change=\"no permission left\"",
                    clientId, authName());
            close(ReasonCode.NOT_AUTHORIZED, "the client has no publish or subscribe permission left", true);
            return;
        }
        permissions = updated;
        identity = new Identity(client, identity.certificateSubject(), identity.certificateSerial(),
                identity.certificateThumbprint(), identity.certificateNotAfter());
        List<String> removed = removeSubscriptionsNoLongerAllowed(updated);
        if (!removed.isEmpty()) {
            ConnectionLog.info("Client access changed: clientId={} authName={} removedSubscriptions={}", clientId,
                    authName(), removed);
        }
    }

    /** Any thread: the client chain of a connected client, empty before CONNACK. */
    List<X509Certificate> certificateChain() {
        return acceptedChain;
    }

    /**
     * Any thread: the live-session recheck found the client's certificate (or an intermediate) revoked. On the
     * connection's loop: MQTT 5 DISCONNECT 0x87 with a reason string, 3.1.1 a bare close; the Will is published
     * as for any close the client did not ask for.
     */
    void certificateRevoked(RevocationVerdict.Revoked revoked) {
        onLoop(() -> {
            if (state != State.CONNECTED) {
                return;
            }
            ConnectionLog.warn("Client certificate revoked, disconnecting: authName={} clientId={} subject=\"{}\" "
                            + "thumbprint={} revoked=\"{}\" remote={}", authName(), clientId,
                    identity.certificateSubject(), identity.certificateThumbprint(), revoked.describe(), remote());
            close(ReasonCode.NOT_AUTHORIZED, "client certificate revoked", true);
        });
    }

    private List<String> removeSubscriptionsNoLongerAllowed(ClientPermissions granted) {
        List<String> removed = new ArrayList<>();
        for (String filter : session.subscriptions().keySet()) {
            if (!granted.checkSubscribe(SubscribeFlow.innerFilter(filter)).allowed()) {
                session.unsubscribe(filter);
                removed.add(filter);
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------- SessionConnection

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public MqttVersion version() {
        return version;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public int receiveMaximum() {
        return connect.receiveMaximum();
    }

    @Override
    public long maximumPacketSize() {
        return connect.maximumPacketSize();
    }

    @Override
    public int encodedSize(Publish publish) {
        return MqttPacketEncoder.encodedSize(publish, version);
    }

    @Override
    public void write(MqttPacket packet) {
        ctx.write(packet);
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void disconnect(int reasonCode, String reason) {
        close(reasonCode, reason, true);
    }

    @Override
    public ConnectionDescription description() {
        // The WebSocket listener puts its frame codec before the MQTT handlers; MQTTS has none.
        String transport = ctx.pipeline().get("webSocketFrames") != null ? "wss" : "mqtts";
        return new ConnectionDescription("MQTT " + version.label(), transport, addressAndPort(), connectedAtMillis);
    }

    /** The client's address as operators write it: {@code 10.0.0.7:51234}, {@code [::1]:51234}. */
    private String addressAndPort() {
        if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress address)
                || address.getAddress() == null) {
            return remote();
        }
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public void takenOver() {
        // [MQTT-3.1.4-3]: the existing connection gets DISCONNECT 0x8E and is closed; its Will follows the
        // abnormal-close rules (sent unless its delay outlasts the takeover).
        close(ReasonCode.SESSION_TAKEN_OVER, "another connection took over the session", true);
    }

    /**
     * Any thread: the broker is stopping. MQTT 5 clients get DISCONNECT 0x8B Server shutting down, 3.1.1
     * clients a bare close; the Will follows the abnormal-close rules, as for any close the client did not
     * ask for. Returns the channel's close future.
     */
    ChannelFuture serverShuttingDown() {
        onLoop(() -> close(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down", true));
        return ctx.channel().closeFuture();
    }

    // ---------------------------------------------------------------- PublisherThrottle

    @Override
    public void pause(Object source) {
        onLoop(() -> {
            if (pausedBy.add(source)) {
                updateAutoRead();
            }
        });
    }

    @Override
    public void resume(Object source) {
        onLoop(() -> {
            if (pausedBy.remove(source)) {
                updateAutoRead();
            }
        });
    }

    private void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    private void updateAutoRead() {
        boolean read = pausedBy.isEmpty() && state != State.CONNECTING;
        if (ctx.channel().config().isAutoRead() != read) {
            // Turning auto-read back on also requests the next read.
            ctx.channel().config().setAutoRead(read);
        }
    }

    // ---------------------------------------------------------------- helpers for the flows

    /** A reading to pass to {@link #afterDurable} once the packet's writes are submitted. */
    long durabilityMark() {
        return broker.journal().submittedOnThisThread();
    }

    /**
     * Runs {@code acknowledgement} once the writes this loop submitted since {@code mark} are durable: at once
     * when there were none and no earlier acknowledgement waits (so acknowledgements keep the order of their
     * packets [MQTT-4.6.0-2]), else in the store's completion on this loop. Should the store fail to write,
     * the connection closes without the acknowledgement, and the client sends again.
     */
    void afterDurable(long mark, Runnable acknowledgement) {
        SessionJournal journal = broker.journal();
        if (!journal.isDurable() || journal.submittedOnThisThread() == mark && acknowledgementsWaiting == 0) {
            acknowledgement.run();
            return;
        }
        acknowledgementsWaiting++;
        journal.whenDurable(ctx.executor(), () -> {
            acknowledgementsWaiting--;
            if (state == State.CONNECTED) {
                acknowledgement.run();
            }
        }, failure -> {
            acknowledgementsWaiting--;
            close(ReasonCode.UNSPECIFIED_ERROR, "the broker could not store the message", true);
        });
        journal.throttle(this);
    }

    boolean requestsProblemInformation() {
        return version.isV5() && connect.requestProblemInformation();
    }

    String authName() {
        return identity == null ? null : identity.authenticationName();
    }

    String protocol() {
        return version == null ? "unknown" : "MQTT" + version.label();
    }

    String remote() {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}
