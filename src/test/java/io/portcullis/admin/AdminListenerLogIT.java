package io.portcullis.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.ssl.OpenSsl;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.cli.DevConfiguration;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.Thumbprints;
import io.portcullis.registry.Registry;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.testsupport.TestCertificates;
import io.portcullis.transport.ServerCredentials;
import io.portcullis.transport.TlsEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every refused admin handshake, made over a real socket with certificates generated for the run, gives one
 * WARN line on {@code portcullis.admin.connections} with the remote address and the reason, and the subject
 * and thumbprint when a certificate was refused; a burst is cut to the rate limit and the next line counts
 * what was held back. Runs against both TLS engines, since they word the same failure differently.
 */
class AdminListenerLogIT {
    private static final String REMOTE = "remote=/127.0.0.1:";

    @TempDir
    Path directory;
    private DevPki.Layout pki;
    private TestCertificates.Issued adminCa;
    private AdminServer server;
    private final ListAppender<ILoggingEvent> refusals = new ListAppender<>();
    private final ListAppender<ILoggingEvent> adminPackage = new ListAppender<>();
    private final Logger refusalLogger = (Logger) LoggerFactory.getLogger("portcullis.admin.connections");
    private final Logger adminLogger = (Logger) LoggerFactory.getLogger("io.portcullis.admin");
    private Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = refusalLogger.getLevel();
        refusalLogger.setLevel(Level.DEBUG);
        refusals.start();
        refusalLogger.addAppender(refusals);
        adminPackage.start();
        adminLogger.addAppender(adminPackage);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        refusalLogger.detachAppender(refusals);
        refusalLogger.setLevel(previousLevel);
        adminLogger.detachAppender(adminPackage);
    }

    private void start(TlsEngine engine) throws Exception {
        start(engine, Duration.ofSeconds(10));
    }

    private void start(TlsEngine engine, Duration handshakeTimeout) throws Exception {
        assumeTrue(engine != TlsEngine.OpenSsl || OpenSsl.isAvailable(), "BoringSSL is not available here");
        pki = DevPki.ensure(directory, 1);
        adminCa = TestCertificates.rootCa("Test Admin CA");
        BrokerConfig dev = DevConfiguration.build(pki, 0, 0, 0);
        AdminConfig admin = dev.admin();
        List<X509Certificate> adminCas = new ArrayList<>(admin.caCertificates());
        adminCas.add(adminCa.certificate());
        AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, admin.caCertificateFiles(), adminCas,
                admin.thumbprints());
        ServerCredentials credentials = ServerCredentials.load(
                dev.tls().serverCertificate(ServerKeyType.EC_P384).certificate(),
                dev.tls().serverCertificate(ServerKeyType.EC_P384).privateKey(),
                dev.tls().serverCertificate(ServerKeyType.RSA).certificate(),
                dev.tls().serverCertificate(ServerKeyType.RSA).privateKey());
        server = AdminServer.start(config, credentials, engine, handshakeTimeout,
                Map.of("/metrics", request -> ApiResponse.text(200, "ok\n", "text/plain")), () -> Registry.EMPTY,
                Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsAClientThatSendsNoCertificate(TlsEngine engine) throws Exception {
        start(engine);

        handshake(trustOnly(), null);

        String line = theOneWarning();
        assertThat(line).contains("reason=\"no client certificate; the admin API requires an admin certificate")
                .contains(REMOTE).doesNotContain("subject=");
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsADeviceCertificateWithItsSubjectAndThumbprint(TlsEngine engine) throws Exception {
        start(engine);
        TestCertificates.Issued deviceCa = TestCertificates.rootCa("Plant CA");
        TestCertificates.Issued device = TestCertificates.certificate("CN=pump-7,O=Plant").issuer(deviceCa).build();

        handshake(RunningBroker.sslContext(List.of(device.certificate()), device.privateKey(), pki.caFile()), null);

        String line = theOneWarning();
        assertThat(line).contains("reason=\"not an admin certificate: its chain does not validate to an admin CA")
                .contains("subject=\"CN=pump-7,O=Plant\"")
                .contains("thumbprint=" + Thumbprints.thumbprint(device.certificate())).contains(REMOTE);
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsAnExpiredAdminCertificateInPlainWords(TlsEngine engine) throws Exception {
        start(engine);
        Instant expiry = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        TestCertificates.Issued expired = TestCertificates.certificate("CN=ops-laptop,O=Plant").issuer(adminCa)
                .validity(expiry.minus(Duration.ofDays(30)), expiry).build();

        String clientSaw = handshake(RunningBroker.sslContext(List.of(expired.certificate()), expired.privateKey(),
                pki.caFile()), null);

        if (engine == TlsEngine.OpenSsl) {
            // BoringSSL tells the client why; SunJSSE sends certificate_unknown for any refusal.
            assertThat(clientSaw).contains("certificate_expired");
        }
        String line = theOneWarning();
        assertThat(line).contains("reason=\"the certificate expired on " + expiry
                        + "; issue the admin a current certificate, or check the clocks of client and broker\"")
                .contains("subject=\"CN=ops-laptop,O=Plant\"")
                .contains("thumbprint=" + Thumbprints.thumbprint(expired.certificate())).contains(REMOTE)
                .doesNotContain("NotAfter");
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsACipherSuiteMismatch(TlsEngine engine) throws Exception {
        start(engine);

        // RSA key exchange without forward secrecy: the JDK client still offers it, the broker does not.
        handshake(trustOnly(), socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"});
        });

        assertThat(theOneWarning()).contains("reason=\"no cipher suite or key exchange in common")
                .contains(REMOTE);
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsAnOldProtocolVersion(TlsEngine engine) throws Exception {
        start(engine);

        // The JDK client will not speak TLS 1.1 any more, so the ClientHello is written by hand.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(tls11ClientHello());
            socket.getOutputStream().flush();
            readUntilClosed(socket.getInputStream(), socket);
        }

        assertThat(theOneWarning()).contains("reason=\"no TLS version in common").contains(REMOTE);
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsPlainHttpOnTheTlsPort(TlsEngine engine) throws Exception {
        start(engine);

        plainHttp();

        assertThat(theOneWarning()).contains("reason=\"not TLS: the client sent something else, plain HTTP perhaps")
                .contains(REMOTE);
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk", "OpenSsl"})
    void logsAClientThatDoesNotTrustTheServerCertificate(TlsEngine engine) throws Exception {
        start(engine);
        TestCertificates.Issued admin = TestCertificates.certificate("CN=ops,O=Plant").issuer(adminCa).build();
        Path otherCa = directory.resolve("other-ca.pem");
        java.nio.file.Files.writeString(otherCa, TestCertificates.pem(TestCertificates.rootCa("Other CA")));

        handshake(RunningBroker.sslContext(List.of(admin.certificate()), admin.privateKey(), otherCa), null);

        assertThat(theOneWarning()).contains("reason=\"the client refused the broker's server certificate")
                .contains(REMOTE).doesNotContain("subject=");
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk"})
    void aBurstIsCutToTheRateLimitAndTheNextLineCountsTheRest(TlsEngine engine) throws Exception {
        start(engine);
        int burst = AdminRefusalLog.PER_SECOND + 5;

        for (int i = 0; i < burst; i++) {
            plainHttp();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals.list.size() >= burst);
        long warnings = refusals.list.stream().filter(event -> event.getLevel() == Level.WARN).count();
        long held = refusals.list.stream().filter(event -> event.getLevel() == Level.DEBUG).count();
        Thread.sleep(1100);
        plainHttp();

        assertThat(warnings).isEqualTo(AdminRefusalLog.PER_SECOND);
        assertThat(held).isEqualTo(burst - AdminRefusalLog.PER_SECOND);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals.list.size() > burst);
        ILoggingEvent last = refusals.list.get(refusals.list.size() - 1);
        assertThat(last.getLevel()).isEqualTo(Level.WARN);
        assertThat(last.getFormattedMessage()).endsWith("suppressed=" + held);
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"Jdk"})
    void aSilentClientIsClosedAtTheHandshakeTimeoutWithADebugLineOnly(TlsEngine engine) throws Exception {
        start(engine, Duration.ofMillis(300));

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            readUntilClosed(socket.getInputStream(), socket);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !refusals.list.isEmpty());
        assertThat(refusals.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getFormattedMessage()).startsWith("Admin API handshake timed out, closing: remote=");
        });
    }

    /** Waits for the refusal line, then checks it stays the only one and nothing else in admin warned. */
    private String theOneWarning() throws InterruptedException {
        await().atMost(Duration.ofSeconds(10)).until(() -> !refusals.list.isEmpty());
        Thread.sleep(300);
        assertThat(refusals.list).hasSize(1);
        ILoggingEvent event = refusals.list.get(0);
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(adminPackage.list).noneMatch(other -> other.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(event.getFormattedMessage()).startsWith("Admin API connection refused: reason=\"")
                .endsWith("suppressed=0");
        return event.getFormattedMessage();
    }

    @FunctionalInterface
    private interface SocketSetup {
        void apply(SSLSocket socket);
    }

    /**
     * Runs a handshake and reads until the broker closes; the failure is what the test is about. Returns what the
     * client's TLS stack said about it, or an empty text.
     */
    private String handshake(SSLContext context, SocketSetup setup) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            if (setup != null) {
                setup.apply(socket);
            }
            try {
                socket.startHandshake();
                // TLS 1.3: the client finishes first and hears of the refusal on its first read.
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                socket.getInputStream().read(new byte[1024]);
                readUntilClosed(socket.getInputStream(), socket);
                return "";
            } catch (IOException e) {
                // Refused: expected.
                return String.valueOf(e.getMessage());
            }
        }
    }

    private void plainHttp() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /api/v1/clients HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            readUntilClosed(socket.getInputStream(), socket);
        }
    }

    private static void readUntilClosed(InputStream in, Socket socket) {
        try {
            socket.setSoTimeout(5_000);
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // Drain: an alert, or nothing at all.
            }
        } catch (IOException e) {
            // Reset by the broker: closed as well.
        }
    }

    /** A context that trusts the broker's CA and has no client certificate to send. */
    private SSLContext trustOnly() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : PemFiles.readCertificates(pki.caFile())) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** A minimal TLS 1.1 ClientHello: one ECDHE-RSA-AES128-SHA suite, no compression, no extensions. */
    private static byte[] tls11ClientHello() {
        byte[] body = new byte[2 + 32 + 1 + 2 + 2 + 2];
        int at = 0;
        body[at++] = 3;
        body[at++] = 2;
        for (int i = 0; i < 32; i++) {
            body[at++] = (byte) (i * 7 + 1);
        }
        body[at++] = 0;
        body[at++] = 0;
        body[at++] = 2;
        body[at++] = (byte) 0xC0;
        body[at++] = 0x13;
        body[at++] = 1;
        body[at] = 0;
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 0x16;
        record[1] = 3;
        record[2] = 1;
        record[3] = 0;
        record[4] = (byte) (4 + body.length);
        record[5] = 1;
        record[6] = 0;
        record[7] = 0;
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
