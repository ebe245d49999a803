package io.portcullis.broker;

import io.portcullis.broker.TlsAuthProbe.Connection;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.config.RevocationConfig;
import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RevocationPki;
import io.portcullis.testsupport.RunningBroker;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.assertRefusedByTls;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A CRL file named in the configuration, edited on disk while the broker runs, with nothing but the broker's
 * own file watch to notice: replaced by an atomic move or rewritten in place, it refuses the next connection
 * with the listed certificate and disconnects the connected client that holds it (MQTT 5 DISCONNECT 0x87);
 * a file that no longer parses, or one under the intermediate's name signed by another key, leaves the
 * previous CRL in force with a WARN naming the file and why, and so does an older CRL (a lower CRL Number)
 * written back over a newer one. The CRL file lives in its own directory, so the watch of that directory is
 * what is tested; a second CRL file is a symbolic link into a directory nobody watches, whose change SIGHUP
 * makes the broker read. Certificates are issued per test by the dev intermediate with
 * subject CN=client-N, so they authenticate as the registered dev clients.
 */
class CrlFileReloadIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Short, so a missed file change would still end the session in time; the reload itself asks at once. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static ConfigReloader reloader;
    static IssuedCertificate ca;
    static Path crlFile;
    /** A second CRL file: a symbolic link to {@link #linkTarget} in a directory the broker does not watch. */
    static Path linkedCrlFile;
    static Path linkTarget;

    @BeforeAll
    static void start() throws Exception {
        ca = TlsAuthProbe.devIntermediate(io.portcullis.pki.DevPki.ensure(directory, 4));
        crlFile = directory.resolve("revocation").resolve("intermediate.crl");
        Files.createDirectories(crlFile.getParent());
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now()));
        linkTarget = Files.createDirectories(directory.resolve("elsewhere")).resolve("intermediate.crl");
        RevocationPki.writePem(linkTarget, RevocationPki.crl(ca, Instant.now()));
        linkedCrlFile = Files.createSymbolicLink(crlFile.resolveSibling("linked.crl"), linkTarget);
        broker = RunningBroker.start(directory, config -> config.withRevocation(new RevocationConfig(
                List.of(crlFile, linkedCrlFile), false, RevocationConfig.DEFAULT_CRL_CACHE_TIME, false, null,
                RevocationConfig.DEFAULT_OCSP_CACHE_TIME, RevocationConfig.DEFAULT_FETCH_TIMEOUT,
                RevocationFailurePolicy.FailClosed, RECHECK)));
        reloader = broker.broker().watchConfiguration();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void emptyCrl() throws Exception {
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now()));
        RevocationPki.writePem(linkTarget, RevocationPki.crl(ca, Instant.now()));
        // A forced reload makes the empty CRL current before the test starts, whatever the watch does.
        assertThat(reloader.reload("test-setup").get(10, TimeUnit.SECONDS))
                .isIn(ConfigReloader.Outcome.APPLIED, ConfigReloader.Outcome.UNCHANGED);
    }

    @Test
    void crlFileReplacedByAtomicMoveRefusesTheNextConnectionAndDisconnectsTheConnectedClient() throws Exception {
        assertThat(reloader.watchedFiles()).contains(crlFile);
        IssuedCertificate revoked = RevocationPki.client(ca, "client-1", null, null, Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        Connection victim = assertConnack(Transport.MQTTS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "moved-victim", null), 0).connection();

        try (TlsAuthLog log = new TlsAuthLog()) {
            RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now(), revoked.certificate()));

            assertRevokedDisconnect(victim);
            String serial = io.portcullis.auth.CertificateFields.serialHex(revoked.certificate());
            String revokedText = "certificate 'CN=client-1' (serial " + serial + ", issuer '"
                    + ca.certificate().getSubjectX500Principal().getName() + "') is revoked, reason keyCompromise, "
                    + "per crlFile=" + crlFile;
            assertThat(log.connectionLines()).anyMatch(line -> line.startsWith("Client certificate revoked, "
                    + "disconnecting:") && line.contains("clientId=moved-victim") && line.contains(revokedText));

            assertRefusedByTls(Transport.MQTTS, broker, context(revoked, broker),
                    connect(MqttVersion.V5, "moved-again", null));
            assertRefusedByTls(Transport.WSS, broker, context(revoked, broker),
                    connect(MqttVersion.V5, "moved-again-wss", null));
            assertThat(log.allLines()).anyMatch(line -> line.startsWith("TLS handshake failed")
                    && line.contains(revokedText));
        } finally {
            victim.close();
        }
        assertConnack(Transport.MQTTS, broker, context(good, broker), connect(MqttVersion.V5, "moved-good", null),
                0).connection().close();
    }

    @Test
    void crlFileRewrittenInPlaceRefusesTheNextConnectionAndDisconnectsTheConnectedClient() throws Exception {
        IssuedCertificate revoked = RevocationPki.client(ca, "client-3", null, null, Instant.now());
        Connection victim = assertConnack(Transport.WSS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "in-place-victim", null), 0).connection();
        try {
            // Truncate and write the same file, as an editor or 'openssl ca -gencrl -out' does.
            Files.writeString(crlFile, pem(RevocationPki.crl(ca, Instant.now(), revoked.certificate())),
                    StandardCharsets.US_ASCII);

            assertRevokedDisconnect(victim);
            assertRefusedByTls(Transport.MQTTS, broker, context(revoked, broker),
                    connect(MqttVersion.V3_1_1, "in-place-again", null));
        } finally {
            victim.close();
        }
    }

    @Test
    void crlFileThatNoLongerParsesKeepsThePreviousCrlWithAWarning() throws Exception {
        IssuedCertificate revoked = RevocationPki.client(ca, "client-1", null, null, Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        revokeAndAwaitRefusal(revoked);

        try (TlsAuthLog log = new TlsAuthLog()) {
            // Half written: the header and the start of the body.
            String whole = pem(RevocationPki.crl(ca, Instant.now()));
            Files.writeString(crlFile, whole.substring(0, whole.length() / 2), StandardCharsets.US_ASCII);

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.allLines()).anyMatch(line ->
                    line.startsWith("Configuration change ignored") && line.contains(crlFile.toString())
                            && line.contains("is not a valid CRL")));
        }
        assertRefusedByTls(Transport.MQTTS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "half-revoked", null));
        assertConnack(Transport.MQTTS, broker, context(good, broker), connect(MqttVersion.V5, "half-good", null), 0)
                .connection().close();
    }

    @Test
    void crlFileSignedByAnotherKeyKeepsThePreviousCrlWithAWarning() throws Exception {
        IssuedCertificate revoked = RevocationPki.client(ca, "client-4", null, null, Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        // A connection shows the broker the intermediate, so its CRLs are verified as they are loaded.
        assertConnack(Transport.MQTTS, broker, context(good, broker), connect(MqttVersion.V5, "forged-first", null),
                0).connection().close();
        revokeAndAwaitRefusal(revoked);

        try (TlsAuthLog log = new TlsAuthLog()) {
            IssuedCertificate stranger = io.portcullis.pki.CertificateIssuer.rootCa("Stranger CA");
            Instant now = Instant.now();
            RevocationPki.writePem(crlFile, RevocationPki.crl(ca.certificate(), stranger.privateKey(),
                    now.minusSeconds(60), now.plusSeconds(3600), Map.of()));

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.allLines()).anyMatch(line ->
                    line.startsWith("CRL file not loaded, keeping the previous one: path=" + crlFile)
                            && line.contains("signature does not verify")));
        }
        assertRefusedByTls(Transport.WSS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "forged-revoked", null));
        assertConnack(Transport.MQTTS, broker, context(good, broker), connect(MqttVersion.V5, "forged-good", null),
                0).connection().close();
    }

    @Test
    void olderCrlWrittenBackIsRefusedAndTheRevokedClientStaysRefused() throws Exception {
        IssuedCertificate revoked = RevocationPki.client(ca, "client-1", null, null, Instant.now());
        IssuedCertificate good = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        // One thisUpdate for both, not before the setup's CRL: a CRL without a number is compared by thisUpdate,
        // so the setup of the next test must not find one later than its own. The numbers alone order #1 and #2.
        Instant thisUpdate = Instant.now().minusSeconds(3600);
        X509CRL first = numberedCrl(1, thisUpdate);
        RevocationPki.writePem(crlFile, first);
        assertThat(reloader.reload("test-crl-1").get(10, TimeUnit.SECONDS))
                .isIn(ConfigReloader.Outcome.APPLIED, ConfigReloader.Outcome.UNCHANGED);
        assertConnack(Transport.MQTTS, broker, context(revoked, broker), connect(MqttVersion.V5, "replay-before",
                null), 0).connection().close();

        RevocationPki.writePem(crlFile, numberedCrl(2, thisUpdate, revoked.certificate()));
        awaitRefusal(revoked);

        try (TlsAuthLog log = new TlsAuthLog()) {
            RevocationPki.writePem(crlFile, first);

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.allLines()).anyMatch(line ->
                    line.equals("Older CRL refused, keeping the CRL in force: path=" + crlFile + " issuer=\""
                            + ca.certificate().getSubjectX500Principal().getName() + "\" reason=\"its CRL number 1"
                            + " is lower than 2, the number of the CRL in force\" refusedCrlNumber=1"
                            + " refusedThisUpdate="
                            + thisUpdate.truncatedTo(ChronoUnit.SECONDS) + " inForceCrlNumber=2 inForceThisUpdate="
                            + thisUpdate.truncatedTo(ChronoUnit.SECONDS))));
        }
        assertRefusedByTls(Transport.MQTTS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "replay-revoked", null));
        assertRefusedByTls(Transport.WSS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "replay-revoked-wss", null));
        assertConnack(Transport.MQTTS, broker, context(good, broker), connect(MqttVersion.V5, "replay-good", null),
                0).connection().close();
    }

    @Test
    void crlOfAnotherIssuerWrittenOverTheFileDoesNotDropTheIntermediatesCrlSoAnOlderOneStaysRefused()
            throws Exception {
        IssuedCertificate seen = RevocationPki.client(ca, "client-1", null, null, Instant.now());
        // Listed in CRL #2 but never connected before the end: only the CRL in force can refuse it.
        IssuedCertificate unseen = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        Instant thisUpdate = Instant.now().minusSeconds(3600);
        X509CRL first = numberedCrl(1, thisUpdate);
        RevocationPki.writePem(crlFile, first);
        assertThat(reloader.reload("test-crl-1").get(10, TimeUnit.SECONDS))
                .isIn(ConfigReloader.Outcome.APPLIED, ConfigReloader.Outcome.UNCHANGED);
        RevocationPki.writePem(crlFile, numberedCrl(2, thisUpdate, seen.certificate(), unseen.certificate()));
        awaitRefusal(seen);

        try (TlsAuthLog log = new TlsAuthLog()) {
            // A self-made CA's CRL: its issuer is unknown to the broker, so nothing checks its signature at load.
            IssuedCertificate stranger = io.portcullis.pki.CertificateIssuer.rootCa("Self-made CA");
            RevocationPki.writePem(crlFile, RevocationPki.crl(stranger, Instant.now()));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.allLines()).anyMatch(line ->
                    line.equals("CRL kept: the file no longer holds a CRL of "
                            + ca.certificate().getSubjectX500Principal().getName() + "; the CRL in force (number 2,"
                            + " thisUpdate " + thisUpdate.truncatedTo(ChronoUnit.SECONDS) + ") is kept. Fix: put"
                            + " that issuer's current CRL back in the file, or remove the file from"
                            + " revocation.crlFiles to stop checking it. path=" + crlFile)));

            RevocationPki.writePem(crlFile, first);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.allLines()).anyMatch(line ->
                    line.startsWith("Older CRL refused, keeping the CRL in force: path=" + crlFile)
                            && line.contains("refusedCrlNumber=1 ") && line.contains("inForceCrlNumber=2 ")));
        }
        assertRefusedByTls(Transport.MQTTS, broker, context(unseen, broker),
                connect(MqttVersion.V5, "two-step-unseen", null));
    }

    @Test
    void sighupRereadsACrlFileWhoseChangeNoWatchedDirectorySees() throws Exception {
        assumeTrue(reloader.isHangupHandled(), "SIGHUP is not handled on this JVM or platform");
        IssuedCertificate revoked = RevocationPki.client(ca, "client-2", null, null, Instant.now());
        Connection victim = assertConnack(Transport.MQTTS, broker, context(revoked, broker),
                connect(MqttVersion.V5, "sighup-victim", null), 0).connection();
        try {
            // The link's directory is watched, the target's is not: only SIGHUP makes the broker read it.
            RevocationPki.writePem(linkTarget, RevocationPki.crl(ca, Instant.now(), revoked.certificate()));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();

            assertRevokedDisconnect(victim);
            assertRefusedByTls(Transport.MQTTS, broker, context(revoked, broker),
                    connect(MqttVersion.V5, "sighup-again", null));
        } finally {
            victim.close();
        }
    }

    /** Lists the certificate in the CRL file and waits until a new connection with it fails in TLS. */
    private static void revokeAndAwaitRefusal(IssuedCertificate revoked) throws Exception {
        RevocationPki.writePem(crlFile, RevocationPki.crl(ca, Instant.now(), revoked.certificate()));
        awaitRefusal(revoked);
    }

    /** Waits until a new connection with the certificate fails in TLS. */
    private static void awaitRefusal(IssuedCertificate revoked) {
        await().atMost(TIMEOUT).until(() -> {
            TlsAuthProbe.Attempt attempt = TlsAuthProbe.connect(Transport.MQTTS, broker, context(revoked, broker),
                    connect(MqttVersion.V5, "awaiting-refusal", null));
            if (attempt.connection() != null) {
                attempt.connection().close();
            }
            return attempt.tlsFailure() != null;
        });
    }

    private static void assertRevokedDisconnect(Connection connection) throws Exception {
        MqttPacket packet = connection.receive(TIMEOUT);
        assertThat(packet).isInstanceOfSatisfying(Disconnect.class, disconnect -> {
            assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(disconnect.reasonString()).isEqualTo("client certificate revoked");
        });
        assertThat(connection.awaitClosed(TIMEOUT)).isEmpty();
    }

    /** A CRL of the dev intermediate with a CRL Number, valid a day from {@code thisUpdate}, listing the given. */
    private static X509CRL numberedCrl(long number, Instant thisUpdate, X509Certificate... revoked) {
        Map<BigInteger, Integer> serials = new LinkedHashMap<>();
        for (X509Certificate certificate : revoked) {
            serials.put(certificate.getSerialNumber(), CRLReason.keyCompromise);
        }
        return RevocationPki.crl(ca.certificate(), ca.privateKey(), thisUpdate, thisUpdate.plus(Duration.ofDays(1)),
                serials, BigInteger.valueOf(number));
    }

    private static String pem(X509CRL crl) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(crl);
        }
        return text.toString();
    }
}
