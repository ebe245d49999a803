package io.portcullis.broker;

import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.portcullis.broker.TlsAuthProbe.TIMEOUT;
import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.assertRefusedByTls;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.context;
import static io.portcullis.broker.TlsAuthProbe.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TLS-time certificate gate of a whole broker (SPEC 2.3): chains must end at a registered CA (root, or
 * an intermediate registered alone), self-signed certificates need a registered thumbprint, and validity
 * dates are checked. Every refusal here happens in the handshake, on both listeners, never as a CONNACK.
 * Two brokers share one dev PKI: the dev configuration (root registered) and one with only the
 * intermediate registered.
 */
class ClientCertificateIT {
    @TempDir
    static Path directory;
    static RunningBroker rootRegistered;
    static RunningBroker intermediateRegistered;
    static IssuedCertificate devIntermediate;
    static IssuedCertificate devRoot;

    @BeforeAll
    static void startBrokers() throws Exception {
        DevPki.Layout pki = DevPki.ensure(directory, 4);
        devIntermediate = TlsAuthProbe.devIntermediate(pki);
        devRoot = new IssuedCertificate(pki.rootCertificate(), PemFiles.readPrivateKey(pki.rootCa().privateKey()),
                List.of());
        rootRegistered = RunningBroker.start(directory);
        CaCertificateConfig intermediateOnly = new CaCertificateConfig("dev-intermediate",
                "The dev intermediate registered alone, as a trust anchor by itself",
                pki.intermediateCa().certificate(), pki.intermediateCertificate());
        intermediateRegistered = RunningBroker.start(directory,
                TlsAuthConfigs.withCaCertificates(List.of(intermediateOnly)));
    }

    @AfterAll
    static void stopBrokers() {
        if (intermediateRegistered != null) {
            intermediateRegistered.close();
        }
        if (rootRegistered != null) {
            rootRegistered.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void acceptsFreshCertificateFromDevIntermediate(Transport transport) throws Exception {
        // The control for the refusals below: the same issuing path with valid dates and a registered CA.
        IssuedCertificate fresh = CertificateIssuer.client(devIntermediate, "client-3");

        assertConnack(transport, rootRegistered, context(fresh, rootRegistered),
                connect(MqttVersion.V5, "fresh-" + transport, null), 0).connection().close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesCertificateFromUnregisteredCa(Transport transport) throws Exception {
        IssuedCertificate foreignRoot = CertificateIssuer.rootCa("Foreign Root CA");
        IssuedCertificate foreignIntermediate = CertificateIssuer.intermediateCa(foreignRoot,
                "Foreign Intermediate CA");
        // Named like a registered client: only the CA is wrong.
        IssuedCertificate certificate = CertificateIssuer.client(foreignIntermediate, "client-1");

        assertRefusedByTls(transport, rootRegistered, context(certificate, rootRegistered),
                connect(MqttVersion.V5, "foreign-ca", null));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesAServerCertificateOfTheRegisteredCaUsedAsAClientCertificate(Transport transport) throws Exception {
        // Named like a registered client and issued by the registered CA; only its extended key usage (serverAuth)
        // is wrong: the broker's own server key must not log in as a device.
        IssuedCertificate server = CertificateIssuer.server(devIntermediate, "client-1", KeyAlgorithm.EcP256,
                SubjectAltNames.LOCALHOST, Validity.defaultLeaf());

        assertRefusedByTls(transport, rootRegistered, context(server, rootRegistered),
                connect(MqttVersion.V5, "server-as-client", null));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesExpiredCertificate(Transport transport) throws Exception {
        Instant now = Instant.now();
        IssuedCertificate expired = CertificateIssuer.client(devIntermediate, "client-1", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));

        assertRefusedByTls(transport, rootRegistered, context(expired, rootRegistered),
                connect(MqttVersion.V5, "expired", null));
    }

    @Test
    void refusesNotYetValidCertificate() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate future = CertificateIssuer.client(devIntermediate, "client-1", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))));

        assertRefusedByTls(Transport.MQTTS, rootRegistered, context(future, rootRegistered),
                connect(MqttVersion.V5, "not-yet-valid", null));
    }

    @Test
    void endsTheSessionWhenTheClientCertificateExpires() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate shortLived = CertificateIssuer.client(devIntermediate, "client-4", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(now.minus(Duration.ofHours(1)), now.plusSeconds(3)));
        TlsAuthProbe.Attempt attempt = assertConnack(Transport.MQTTS, rootRegistered,
                context(shortLived, rootRegistered), connect(MqttVersion.V5, "short-lived", null), 0);

        assertThat(attempt.connection().awaitClosed(TIMEOUT)).singleElement()
                .isInstanceOfSatisfying(Disconnect.class, d -> {
                    assertThat(d.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
                    assertThat(d.reasonString()).contains("expired");
                });
    }

    @Test
    void refusesSelfSignedCertificateWithUnknownThumbprint() throws Exception {
        // Same subject as the registered self-signed client, different key and so a different thumbprint.
        IssuedCertificate impostor = CertificateIssuer.selfSignedClient("selfsigned-1");
        assertThat(thumbprint(impostor.certificate())).isNotEqualTo(rootRegistered.pki().selfSignedThumbprint());

        assertRefusedByTls(Transport.MQTTS, rootRegistered, context(impostor, rootRegistered),
                connect(MqttVersion.V5, "unknown-thumbprint", null));
    }

    @Test
    void acceptsRegisteredSelfSignedCertificate() throws Exception {
        assertConnack(Transport.WSS, rootRegistered, rootRegistered.clientSslContext("selfsigned-1"),
                connect(MqttVersion.V5, "known-thumbprint", null), 0).connection().close();
    }

    @Test
    void refusesLeafSentWithoutItsIntermediateWhenOnlyTheRootIsRegistered() throws Exception {
        SSLContext leafOnly = leafOnlyContext(rootRegistered, "client-1");

        assertRefusedByTls(Transport.MQTTS, rootRegistered, leafOnly, connect(MqttVersion.V5, "leaf-only", null));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void acceptsClientsWhenOnlyTheIntermediateIsRegistered(Transport transport) throws Exception {
        assertConnack(transport, intermediateRegistered, intermediateRegistered.clientSslContext("client-2"),
                connect(MqttVersion.V5, "via-intermediate-" + transport, null), 0).connection().close();
    }

    @Test
    void acceptsLeafWithoutIntermediateWhenTheIntermediateIsRegistered() throws Exception {
        // A registered intermediate is a trust anchor by itself: the leaf alone reaches it.
        assertConnack(Transport.MQTTS, intermediateRegistered, leafOnlyContext(intermediateRegistered, "client-2"),
                connect(MqttVersion.V5, "leaf-to-intermediate", null), 0).connection().close();
    }

    @Test
    void refusesCertificateSignedByTheUnregisteredRootWhenOnlyTheIntermediateIsRegistered() throws Exception {
        IssuedCertificate fromRoot = CertificateIssuer.client(devRoot, "client-2");

        assertRefusedByTls(Transport.MQTTS, intermediateRegistered, context(fromRoot, intermediateRegistered),
                connect(MqttVersion.V5, "root-signed", null));
    }

    @Test
    void logsHandshakeRefusalWithSubjectThumbprintReasonAndRemote() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate expired = CertificateIssuer.client(devIntermediate, "client-4", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2))));
        String thumbprint = thumbprint(expired.certificate());

        try (TlsAuthLog log = new TlsAuthLog()) {
            // TLS 1.2 so that the client's failure is in its own handshake and its port is known.
            int[] localPort = new int[1];
            SSLContext context = context(expired, rootRegistered);
            Throwable failure = catchHandshake(() -> TlsAuthProbe.MqttsConnection.open(rootRegistered.mqttsPort(),
                    context, MqttVersion.V5, socket -> {
                        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                        localPort[0] = socket.getLocalPort();
                    }));
            assertThat(failure).isNotNull();

            String remote = "/127.0.0.1:" + localPort[0];
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.allLines()).anySatisfy(line -> assertThat(line)
                    .contains("TLS handshake failed", remote, "CN=client-4", thumbprint, "expired")));
            log.assertNoKeyMaterial(expired.privateKey(), devIntermediate.privateKey());
        }
    }

    private interface Handshake {
        void run() throws Exception;
    }

    private static Throwable catchHandshake(Handshake handshake) {
        try {
            handshake.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /** A dev client's leaf certificate alone, without the intermediate its file also holds. */
    private static SSLContext leafOnlyContext(RunningBroker broker, String name) throws Exception {
        DevPki.CertificateFiles files = broker.clientFiles(name);
        List<X509Certificate> chain = PemFiles.readCertificates(files.certificate());
        assertThat(chain).hasSize(2);
        PrivateKey key = PemFiles.readPrivateKey(files.privateKey());
        return RunningBroker.sslContext(List.of(chain.get(0)), key, broker.caFile());
    }
}
