package io.portcullis.broker;

import io.portcullis.config.OcspStaplingConfig;
import io.portcullis.config.TlsConfig;
import io.portcullis.pki.DevPki;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.testsupport.RevocationResponder;
import io.portcullis.testsupport.RunningBroker;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.ExtendedSSLSession;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OCSP stapling of the broker's own certificate with the JDK engine: a client that asks (status_request, on by
 * default in JDK clients) receives the configured responder's good answer for the server certificate it was
 * sent. The JDK reads its stapling switches from JVM-wide system properties, which this class clears afterwards
 * so brokers started later in the same JVM do not staple.
 */
class OcspStaplingIT {
    @TempDir
    static Path directory;
    static RunningBroker broker;
    static RevocationResponder responder;

    @BeforeAll
    static void start() throws Exception {
        DevPki.Layout pki = DevPki.ensure(directory, 4);
        responder = RevocationResponder.start(TlsAuthProbe.devIntermediate(pki), Clock.systemUTC());
        broker = RunningBroker.start(directory, config -> {
            TlsConfig tls = config.tls();
            return config.withTls(new TlsConfig(tls.engine(), tls.handshakeTimeout(), tls.serverCertificates(),
                    tls.certificateExpiryWarning(), tls.sessionTickets(),
                    new OcspStaplingConfig(true, responder.ocspUrl())));
        });
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        responder.close();
        for (String property : List.of("jdk.tls.server.enableStatusRequestExtension", "jdk.tls.stapling.responderURI",
                "jdk.tls.stapling.responderOverride")) {
            System.clearProperty(property);
        }
    }

    @Test
    void clientReceivesTheResponderAnswerForTheServerCertificate() throws Exception {
        try (TlsAuthProbe.MqttsConnection connection = TlsAuthProbe.MqttsConnection.open(broker.mqttsPort(),
                broker.clientSslContext("client-1"), MqttVersion.V5, socket -> { })) {
            ExtendedSSLSession session = (ExtendedSSLSession) connection.socket().getSession();
            X509Certificate server = (X509Certificate) session.getPeerCertificates()[0];
            List<byte[]> stapled = session.getStatusResponses();

            assertThat(stapled).as("stapled OCSP answers; responder asked %d times", responder.ocspRequests())
                    .isNotEmpty();
            BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(stapled.get(0)).getResponseObject();
            SingleResp single = basic.getResponses()[0];
            assertThat(single.getCertID().getSerialNumber()).isEqualTo(server.getSerialNumber());
            assertThat(single.getCertStatus()).isEqualTo(CertificateStatus.GOOD);
            assertThat(responder.ocspRequests()).isPositive();
        }
    }
}
