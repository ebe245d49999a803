package io.portcullis.protocol;

import io.netty.util.concurrent.EventExecutor;
import io.portcullis.auth.AuthenticationResult;
import io.portcullis.auth.CertificateFields;
import io.portcullis.auth.ConnectCredentials;
import io.portcullis.auth.Identity;
import io.portcullis.auth.revocation.RevocationService;
import io.portcullis.auth.revocation.RevocationVerdict;
import io.portcullis.authorization.AccessDecision;
import io.portcullis.authorization.ClientPermissions;
import io.portcullis.config.MqttSettings;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.registry.Registry;
import io.portcullis.session.Session;
import io.portcullis.session.SessionClaim;
import io.portcullis.topic.Topics;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

/**
 * Answers a CONNECT (SPEC 2.2–2.5): ClientId rules, authentication with the handshake's certificate,
 * permissions and the Will topic, the session claim (ownership by authentication name, the per-name
 * cap, takeover), and the CONNACK with the limits the broker imposes. Confined to the connection's
 * event loop; only a takeover waits for the old session's loop, which hands back with {@code execute}.
 *
 * <p>Decisions documented here: a client with no permission at all is refused (0x87), as it would be
 * disconnected by a registry change; CONNECT with an Authentication Method is refused with 0x8C since
 * enhanced authentication is not offered yet; MQTT 3.1.1 clients with Clean Session 0 get sessions that
 * live for {@code maximumSessionExpirySeconds}; and a 3.1.1 client whose keep alive is 0 or above
 * {@code maximumKeepAliveSeconds} is held to that maximum (the standard lets a server close an
 * inactive client at any time, but gives no way to tell a 3.1.1 client).
 *
 * <p>Revocation: after authentication and before the session claim, the client chain is checked in full (CRL
 * files, distribution points, OCSP) on the revocation service's executor while the connection reads nothing;
 * the answer comes back to this loop. This also covers TLS-resumed sessions, which skip the handshake's trust
 * manager. A revoked certificate is refused with 0x87 Not authorized (3.1.1: 5); a status that cannot be had
 * under FailClosed with 0x88 Server unavailable (3.1.1: 3), since the fault is the broker's back end, not the
 * client's credentials, and a retry may succeed (SPEC 2.5).
 */
final class ConnectFlow {
    private static final int MAXIMUM_CLAIM_ATTEMPTS = 3;
    static final String REVOKED_TEXT = "Not authorized: the client certificate is revoked";
    static final String REVOCATION_UNAVAILABLE_TEXT = "Server unavailable: the revocation status of the client"
            + " certificate cannot be checked now; try again later";

    private final MqttConnectionHandler connection;
    private final BrokerContext broker;
    private final MqttSettings settings;
    private Connect connect;
    private Registry registry;
    private boolean clientIdAssigned;

    ConnectFlow(MqttConnectionHandler connection) {
        this.connection = connection;
        this.broker = connection.broker;
        this.settings = connection.settings;
    }

    void onConnect(Connect packet) {
        connect = packet;
        connection.beginConnect(packet);
        registry = broker.registry().current();
        MqttConnectionHandler c = connection;

        // Set first, so that every refusal line names the ClientId the CONNECT carried.
        c.clientId = packet.clientId();
        if (packet.version().isV5() && packet.authenticationMethod() != null) {
            refuseBeforeAuthentication(ReasonCode.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not "
                    + "supported", "CONNECT names Authentication Method " + packet.authenticationMethod());
            return;
        }
        if (packet.clientId().isEmpty()) {
            if (!packet.version().isV5() && !packet.cleanStart()) {
                // An empty ClientId needs Clean Session 1 in 3.1.1 [MQTT-3.1.3-8].
                refuseBeforeAuthentication(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "an empty ClientId requires Clean Session", "empty ClientId with Clean Session 0");
                return;
            }
            // The server assigns a unique ClientId [MQTT-3.1.3-6]; MQTT 5 returns it in CONNACK [MQTT-3.2.2-16].
            c.clientId = "auto-" + UUID.randomUUID();
            clientIdAssigned = true;
        }

        c.credentials = new ConnectCredentials(packet.username(),
                broker.clientCertificates().apply(c.ctx.channel()), c.remote());
        AuthenticationResult result = broker.authenticator().authenticate(c.credentials, registry);
        if (result instanceof AuthenticationResult.Refused refused) {
            c.refuse(refused.reasonCode(), refused.reasonString(), refused.logReason(),
                    refused.authenticationName(), refused.certificateSubject(), refused.certificateThumbprint());
            return;
        }
        Identity identity = ((AuthenticationResult.Authenticated) result).identity();
        c.identity = identity;
        ClientPermissions permissions = broker.permissionEvaluator().permissionsFor(identity.client(), registry);
        c.permissions = permissions;
        if (!permissions.hasAnyPermission()) {
            refuseAuthenticated(ReasonCode.NOT_AUTHORIZED, "the client has no publish or subscribe permission");
            return;
        }
        if (packet.will() != null && !willAllowed(packet.will(), permissions)) {
            return;
        }
        RevocationService revocation = broker.revocation();
        if (revocation != null && revocation.isEnabled()) {
            checkRevocation(revocation);
            return;
        }
        claim(1);
    }

    private void checkRevocation(RevocationService revocation) {
        MqttConnectionHandler c = connection;
        EventExecutor loop = c.ctx.executor();
        c.holdReading();
        revocation.check(c.credentials.certificateChain()).whenComplete((verdict, error) -> {
            RevocationVerdict result = verdict != null ? verdict
                    : new RevocationVerdict.Unavailable("the check failed: " + error);
            try {
                loop.execute(() -> afterRevocationCheck(revocation, result));
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and closes the connection itself.
            }
        });
    }

    private void afterRevocationCheck(RevocationService revocation, RevocationVerdict verdict) {
        MqttConnectionHandler c = connection;
        if (c.state != MqttConnectionHandler.State.CONNECTING || !c.ctx.channel().isActive()) {
            // Closed while the check ran; nothing was claimed yet.
            return;
        }
        if (!revocation.refuses(verdict)) {
            claim(1);
            return;
        }
        if (verdict instanceof RevocationVerdict.Revoked revoked) {
            refuseAuthenticated(ReasonCode.NOT_AUTHORIZED, REVOKED_TEXT,
                    "client certificate revoked: " + revoked.describe());
        } else {
            refuseAuthenticated(ReasonCode.SERVER_UNAVAILABLE, REVOCATION_UNAVAILABLE_TEXT,
                    "revocation status unavailable (whenUnavailable=FailClosed): "
                            + ((RevocationVerdict.Unavailable) verdict).why());
        }
    }

    private boolean willAllowed(Connect.Will will, ClientPermissions permissions) {
        String problem = Topics.validateName(will.topic(), settings.maximumTopicLength(),
                settings.maximumTopicLevels());
        if (problem != null) {
            refuseAuthenticated(ReasonCode.TOPIC_NAME_INVALID, "Will topic: " + problem);
            return false;
        }
        // The Will topic must be publish-allowed, checked at CONNECT (SPEC 3.5).
        AccessDecision decision = permissions.checkPublish(will.topic());
        if (!decision.allowed()) {
            refuseAuthenticated(ReasonCode.NOT_AUTHORIZED, "not authorized to publish to the Will topic "
                    + will.topic());
            return false;
        }
        return true;
    }

    /**
     * A refusal decided before the authenticator ran: no authentication name is known, but the TLS handshake
     * verified a certificate, whose subject and thumbprint the refusal line carries like every other.
     */
    private void refuseBeforeAuthentication(int reasonCode, String reasonString, String logReason) {
        MqttConnectionHandler c = connection;
        List<X509Certificate> chain = broker.clientCertificates().apply(c.ctx.channel());
        X509Certificate leaf = chain == null || chain.isEmpty() ? null : chain.get(0);
        c.refuse(reasonCode, reasonString, logReason, null, leaf == null ? null : CertificateFields.subject(leaf),
                leaf == null ? null : CertificateFields.thumbprint(leaf));
    }

    private void refuseAuthenticated(int reasonCode, String reason) {
        refuseAuthenticated(reasonCode, reason, reason);
    }

    private void refuseAuthenticated(int reasonCode, String reasonString, String logReason) {
        Identity identity = connection.identity;
        connection.refuse(reasonCode, reasonString, logReason, identity.authenticationName(),
                identity.certificateSubject(), identity.certificateThumbprint());
    }

    private void claim(int attempt) {
        MqttConnectionHandler c = connection;
        EventExecutor loop = c.ctx.executor();
        int maximumSessions = registry.settings().maximumClientSessionsPerAuthenticationName();
        SessionClaim claim = broker.sessions().claim(c.clientId, c.identity.authenticationName(), maximumSessions,
                connect.cleanStart(), loop);
        if (claim instanceof SessionClaim.Refused refused) {
            refuseAuthenticated(ReasonCode.NOT_AUTHORIZED, refused.reason());
            return;
        }
        SessionClaim.Granted granted = (SessionClaim.Granted) claim;
        Session session = granted.session();
        if (granted.displaced() != null) {
            c.holdReading();
            granted.displaced().takeOver(loop, true, () -> complete(session, false, attempt));
        } else if (granted.resumed()) {
            c.holdReading();
            session.takeOver(loop, false, () -> complete(session, true, attempt));
        } else {
            complete(session, false, attempt);
        }
    }

    private void complete(Session session, boolean resumed, int attempt) {
        MqttConnectionHandler c = connection;
        if (c.state != MqttConnectionHandler.State.CONNECTING || !c.ctx.channel().isActive()) {
            // Closed while the session was handed over: leave the session offline as it was.
            session.detach(null, null, 0);
            return;
        }
        // Another CONNECT for the same session may have taken it over between our takeover and now, moving
        // it to its own loop; attaching here would leave this connection outside the session (never closed
        // by a later takeover or a registry change), so claim afresh like an ended session.
        if (session.isEnded() || session.executor() != c.ctx.executor()) {
            if (attempt < MAXIMUM_CLAIM_ATTEMPTS) {
                claim(attempt + 1);
            } else {
                c.close(ReasonCode.SERVER_BUSY, "the session could not be claimed, try again", false);
            }
            return;
        }

        long maximumExpiry = settings.maximumSessionExpirySeconds();
        long requestedExpiry = connect.version().isV5()
                ? connect.sessionExpiryInterval()
                : connect.cleanStart() ? 0 : maximumExpiry;
        session.sessionExpirySeconds(Math.min(requestedExpiry, maximumExpiry));

        int maximumKeepAlive = settings.maximumKeepAliveSeconds();
        int keepAlive = connect.keepAliveSeconds();
        boolean keepAliveCapped = maximumKeepAlive > 0 && (keepAlive == 0 || keepAlive > maximumKeepAlive);
        if (keepAliveCapped) {
            keepAlive = maximumKeepAlive;
        }

        // Session Present only when a session was resumed [MQTT-3.2.2-2, MQTT-3.2.2-3].
        boolean sessionPresent = resumed && !connect.cleanStart();
        Connack connack = connect.version().isV5()
                ? connackV5(sessionPresent, requestedExpiry > maximumExpiry ? maximumExpiry : null,
                        keepAliveCapped ? keepAlive : null)
                : Connack.of(sessionPresent, ReasonCode.V3_ACCEPTED, null);
        c.accepted(session, connack, keepAlive, sessionPresent);
    }

    private Connack connackV5(boolean sessionPresent, Long cappedExpiry, Integer serverKeepAlive) {
        Integer topicAliasMaximum = settings.topicAliasMaximum() > 0 ? settings.topicAliasMaximum() : null;
        String assigned = clientIdAssigned ? connection.clientId : null;
        // Maximum QoS is absent: QoS 2 is supported.
        return new Connack(sessionPresent, ReasonCode.SUCCESS, cappedExpiry, settings.receiveMaximum(), null,
                settings.maximumRetainedMessages() > 0, (long) settings.maximumPacketSize(), assigned,
                topicAliasMaximum, null, List.of(), true, true, settings.sharedSubscriptionsEnabled(),
                serverKeepAlive, null, null, null, null);
    }
}
