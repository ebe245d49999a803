package io.portcullis.broker;

import io.portcullis.auth.revocation.RevocationService;
import io.portcullis.broker.TlsAuthProbe.Attempt;
import io.portcullis.broker.TlsAuthProbe.Connection;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.config.RevocationConfig;
import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RevocationPki;
import io.portcullis.testsupport.RevocationResponder;
import io.portcullis.testsupport.RevocationResponder.Status;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.assertRefusedByTls;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.context;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation of client certificates end to end, on MQTTS and secure WebSockets: a CRL file and a loopback OCSP
 * responder (built with BouncyCastle) refuse revoked certificates, at CONNECT (CONNACK 0x87, 3.1.1: 5) or, once
 * memory knows, in the TLS handshake; a stale CRL and an unreachable responder refuse under FailClosed (0x88,
 * 3.1.1: 3) and admit under FailOpen; a connected client whose certificate is revoked gets DISCONNECT 0x87,
 * after a CRL file is rewritten and applied and after the responder starts saying revoked. One broker; each
 * test applies the revocation settings it needs. Certificates are issued per test by the dev intermediate with
 * subject CN=client-N, so they authenticate as the registered dev clients.
 */
class RevocationIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static RevocationResponder responder;
    static IssuedCertificate ca;
    static Path crlFile;

    @BeforeAll
    static void start() throws Exception {
        ca = TlsAuthProbe.devIntermediate(io.portcullis.pki.DevPki.ensure(directory, 4));
        crlFile = directory.resolve("intermediate.crl");
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now()));
        responder = RevocationResponder.start(ca, Clock.systemUTC());
        broker = RunningBroker.start(directory, config -> config.withRevocation(settings(
                RevocationFailurePolicy.FailClosed, null, List.of(crlFile))));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        responder.close();
    }

    @AfterEach
    void restoreSettings() throws Exception {
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now()));
        // Without the file first, so the broker forgets the CRL in force: a test may have left a CRL with a later
        // thisUpdate than the fresh one, and the broker would refuse the fresh one as older.
        revocation().apply(settings(RevocationFailurePolicy.FailClosed, null, List.of()));
        revocation().apply(settings(RevocationFailurePolicy.FailClosed, null, List.of(crlFile)));
    }

    /** CRL file and OCSP (from each certificate's AIA, or {@code responderUrl}), rechecked every second. */
    static RevocationConfig settings(RevocationFailurePolicy policy, URI responderUrl, List<Path> crlFiles) {
        return new RevocationConfig(crlFiles, true, Duration.ofMinutes(1), true, responderUrl, Duration.ofSeconds(1),
                Duration.ofSeconds(1), policy, Duration.ofSeconds(1));
    }

    static RevocationService revocation() {
        return broker.broker().revocation();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void crlFileRefusesTheRevokedCertificateInTheHandshakeAndAdmitsOthers(Transport transport) throws Exception {
        IssuedCertificate revoked = RevocationPki.client(ca, "client-1", null, null, Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now(), revoked.certificate()));
        revocation().apply(revocation().config());

        try (TlsAuthLog log = new TlsAuthLog()) {
            assertRefusedByTls(transport, broker, context(revoked, broker), connect(MqttVersion.V5, "crl-r", null));
            assertThat(log.allLines()).anyMatch(line -> line.contains("is revoked")
                    && line.contains("crlFile=" + crlFile));
        }
        Attempt accepted = assertConnack(transport, broker, context(good, broker),
                connect(MqttVersion.V5, "crl-g", null), 0);
        accepted.connection().close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void ocspRevokedCertificateIsRefusedAtConnectThenInTheHandshake(Transport transport) throws Exception {
        IssuedCertificate v5 = RevocationPki.client(ca, "client-1", null, responder.ocspUrl(), Instant.now());
        IssuedCertificate v3 = RevocationPki.client(ca, "client-1", null, responder.ocspUrl(), Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, responder.ocspUrl(), Instant.now());
        responder.status(v5.certificate().getSerialNumber(), Status.REVOKED);
        responder.status(v3.certificate().getSerialNumber(), Status.REVOKED);

        try (TlsAuthLog log = new TlsAuthLog()) {
            Attempt refused = assertConnack(transport, broker, context(v5, broker),
                    connect(MqttVersion.V5, "ocsp-r5", null), ReasonCode.NOT_AUTHORIZED);
            assertThat(refused.connack().reasonString()).isEqualTo("Not authorized: the client certificate is revoked");
            assertThat(log.connectionLines()).filteredOn(line -> line.contains("clientId=ocsp-r5")).singleElement()
                    .asString().contains("Connection refused", "client certificate revoked", "keyCompromise",
                            "thumbprint=" + TlsAuthProbe.thumbprint(v5.certificate()), "code=0x87");
        }
        assertConnack(transport, broker, context(v3, broker), connect(MqttVersion.V3_1_1, "ocsp-r3", null),
                ReasonCode.V3_NOT_AUTHORIZED);
        // The revoked answer is cached now: the next attempt fails in the handshake.
        assertRefusedByTls(transport, broker, context(v5, broker), connect(MqttVersion.V5, "ocsp-r5b", null));

        Attempt accepted = assertConnack(transport, broker, context(good, broker),
                connect(MqttVersion.V5, "ocsp-g", null), 0);
        accepted.connection().close();
    }

    @ParameterizedTest
    @EnumSource(RevocationFailurePolicy.class)
    void staleCrlRefusesUnderFailClosedAndAdmitsUnderFailOpen(RevocationFailurePolicy policy) throws Exception {
        IssuedCertificate client = RevocationPki.client(ca, "client-3", null, null, Instant.now());
        Instant now = Instant.now();
        // Later than the CRL in force (an hour back), or the broker would refuse it as an older CRL.
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca.certificate(), ca.privateKey(), now.minusSeconds(120),
                now.minusSeconds(60), Map.of()));
        revocation().apply(settings(policy, null, List.of(crlFile)));

        assertUnavailableOutcome(policy, client, "stale");
    }

    @ParameterizedTest
    @EnumSource(RevocationFailurePolicy.class)
    void unreachableResponderRefusesUnderFailClosedAndAdmitsUnderFailOpen(RevocationFailurePolicy policy)
            throws Exception {
        IssuedCertificate client = RevocationPki.client(ca, "client-3", null, null, Instant.now());
        URI nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = URI.create("http://127.0.0.1:" + closed.getLocalPort() + "/ocsp");
        }
        revocation().apply(settings(policy, nobody, List.of()));

        assertUnavailableOutcome(policy, client, "down");
    }

    private static void assertUnavailableOutcome(RevocationFailurePolicy policy, IssuedCertificate client,
                                                 String name) throws Exception {
        long allowedBefore = revocation().metrics().snapshot().unavailableAllowed();
        long refusedBefore = revocation().metrics().snapshot().unavailableRefused();
        if (policy == RevocationFailurePolicy.FailClosed) {
            Attempt refused = assertConnack(Transport.MQTTS, broker, context(client, broker),
                    connect(MqttVersion.V5, name + "-5", null), ReasonCode.SERVER_UNAVAILABLE);
            assertThat(refused.connack().reasonString()).contains("revocation status");
            assertConnack(Transport.WSS, broker, context(client, broker),
                    connect(MqttVersion.V3_1_1, name + "-3", null), ReasonCode.V3_SERVER_UNAVAILABLE);
            assertThat(revocation().metrics().snapshot().unavailableRefused()).isEqualTo(refusedBefore + 2);
        } else {
            assertConnack(Transport.MQTTS, broker, context(client, broker),
                    connect(MqttVersion.V5, name + "-5", null), 0).connection().close();
            assertConnack(Transport.WSS, broker, context(client, broker),
                    connect(MqttVersion.V3_1_1, name + "-3", null), 0).connection().close();
            assertThat(revocation().metrics().snapshot().unavailableAllowed()).isEqualTo(allowedBefore + 2);
        }
    }

    @Test
    void ocspRevokedCertificateStaysRefusedUnderFailOpenOnceTheAnswerLeftTheCacheAndTheResponderIsDown()
            throws Exception {
        RevocationResponder ownResponder = RevocationResponder.start(ca, Clock.systemUTC());
        IssuedCertificate client = RevocationPki.client(ca, "client-3", null, ownResponder.ocspUrl(), Instant.now());
        ownResponder.status(client.certificate().getSerialNumber(), Status.REVOKED);
        revocation().apply(settings(RevocationFailurePolicy.FailOpen, null, List.of()));
        try {
            assertConnack(Transport.MQTTS, broker, context(client, broker),
                    connect(MqttVersion.V5, "final-1", null), ReasonCode.NOT_AUTHORIZED);
        } finally {
            ownResponder.close();
        }
        // Past ocsp.cacheTime (1 s): the answer has left the cache, and the responder cannot be reached.
        Thread.sleep(1_500);

        try (TlsAuthLog log = new TlsAuthLog()) {
            assertRefusedByTls(Transport.MQTTS, broker, context(client, broker),
                    connect(MqttVersion.V5, "final-2", null));
            assertThat(log.allLines()).anyMatch(line -> line.contains("is revoked, reason keyCompromise, per ocsp="
                    + ownResponder.ocspUrl() + " (remembered: a revocation is final)"));
        }
    }

    @Test
    void connectedClientIsDisconnectedWhenTheRewrittenCrlFileIsAppliedOthersKeepWorking() throws Exception {
        IssuedCertificate revoked = RevocationPki.client(ca, "client-1", null, null, Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        Connection victim = assertConnack(Transport.MQTTS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "live-crl-r", null), 0).connection();
        Connection bystander = assertConnack(Transport.WSS, broker, context(good, broker),
                connect(MqttVersion.V5, "live-crl-g", null), 0).connection();
        try {
            RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now(), revoked.certificate()));
            revocation().apply(revocation().config());

            assertRevokedDisconnect(victim);
            bystander.send(Pingreq.INSTANCE);
            assertThat(bystander.receive(TIMEOUT)).isInstanceOf(Pingresp.class);
        } finally {
            victim.close();
            bystander.close();
        }
    }

    @Test
    void connectedClientIsDisconnectedWhenTheResponderStartsSayingRevoked() throws Exception {
        IssuedCertificate client = RevocationPki.client(ca, "client-4", null, responder.ocspUrl(), Instant.now());
        Connection connection = assertConnack(Transport.WSS, broker, context(client, broker),
                connect(MqttVersion.V5, "live-ocsp", null), 0).connection();
        try {
            responder.status(client.certificate().getSerialNumber(), Status.REVOKED);
            // The good answer is cached for a second and sessions are rechecked every second.
            assertRevokedDisconnect(connection);
        } finally {
            connection.close();
        }
    }

    @Test
    void resumedTlsSessionStillHasItsRevocationCheckedAtConnect() throws Exception {
        IssuedCertificate client = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        javax.net.ssl.SSLContext context = context(client, broker);
        TlsAuthProbe.MqttsConnection first = TlsAuthProbe.MqttsConnection.open(broker.mqttsPort(), context,
                MqttVersion.V5, socket -> { });
        long created = first.socket().getSession().getCreationTime();
        first.send(connect(MqttVersion.V5, "resumed-1", null));
        assertThat(first.receive(TIMEOUT)).isInstanceOf(io.portcullis.protocol.codec.Connack.class);
        first.send(TlsAuthProbe.normalDisconnect());
        first.close();

        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now(), client.certificate()));
        revocation().apply(revocation().config());

        // The handshake resumes the earlier session, so the trust manager (and its revocation gate) is skipped;
        // CONNECT still refuses the certificate.
        TlsAuthProbe.MqttsConnection second = TlsAuthProbe.MqttsConnection.open(broker.mqttsPort(), context,
                MqttVersion.V5, socket -> { });
        try {
            assertThat(second.socket().getSession().getCreationTime()).as("resumed session").isEqualTo(created);
            second.send(connect(MqttVersion.V5, "resumed-2", null));
            MqttPacket answer = second.receive(TIMEOUT);
            assertThat(answer).isInstanceOfSatisfying(io.portcullis.protocol.codec.Connack.class,
                    connack -> assertThat(connack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED));
        } finally {
            second.close();
        }
    }

    private static void assertRevokedDisconnect(Connection connection) throws Exception {
        MqttPacket packet = connection.receive(TIMEOUT);
        assertThat(packet).isInstanceOfSatisfying(Disconnect.class, disconnect -> {
            assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(disconnect.reasonString()).isEqualTo("client certificate revoked");
        });
        assertThat(connection.awaitClosed(TIMEOUT)).isEmpty();
    }
}
