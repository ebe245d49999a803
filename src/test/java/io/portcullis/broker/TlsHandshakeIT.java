package io.portcullis.broker;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.broker.TlsAuthProbe.Connection;
import io.portcullis.broker.TlsAuthProbe.MqttsConnection;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;

import static io.portcullis.broker.TlsAuthProbe.TIMEOUT;
import static io.portcullis.broker.TlsAuthProbe.assertRefusedByTls;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.trustOnlyContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The TLS layer of a whole broker (SPEC 1): mandatory client certificates on both listeners, TLS 1.2/1.3
 * with forward-secret AEAD suites only, the EC or RSA server certificate chosen per ClientHello, the chain
 * sent, non-TLS bytes closed unanswered, and the handshake and CONNECT timeouts (both set to one second).
 */
class TlsHandshakeIT {
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static SSLContext client1;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory, TlsAuthConfigs.withTimeouts(SHORT_TIMEOUT, SHORT_TIMEOUT));
        client1 = broker.clientSslContext("client-1");
        // The first handshakes of a cold JVM can take longer than the one-second handshake timeout set here.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            MqttsConnection.open(broker.mqttsPort(), client1, MqttVersion.V5, socket -> { }).close();
            return true;
        });
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    // ---------------------------------------------------------------- client certificates are mandatory

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesClientWithoutCertificate(Transport transport) throws Exception {
        assertRefusedByTls(transport, broker, trustOnlyContext(broker),
                connect(MqttVersion.V5, "no-certificate", null));
    }

    @Test
    void failsTls12HandshakeWithoutClientCertificate() throws Exception {
        SSLContext noCertificate = trustOnlyContext(broker);

        // In TLS 1.2 the broker's verdict arrives before the client's handshake completes; the client sees
        // the alert, or a broken pipe when the broker has closed before the client's last flight was written.
        assertThatThrownBy(() -> MqttsConnection.open(broker.mqttsPort(), noCertificate, MqttVersion.V5,
                socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"})))
                .isInstanceOfAny(SSLHandshakeException.class, SocketException.class);
    }

    @Test
    void acceptsClientCertificateOnBothListeners() throws Exception {
        for (Transport transport : Transport.values()) {
            TlsAuthProbe.Attempt attempt = TlsAuthProbe.assertConnack(transport, broker, client1,
                    connect(MqttVersion.V5, "tls-ok-" + transport, null), 0);
            attempt.connection().close();
        }
    }

    // ---------------------------------------------------------------- versions and suites

    @Test
    void refusesTls11ClientHello() throws Exception {
        byte[] answer = sendClientHello(0x0302, new int[] {0xC013, 0xC009, 0x002F, 0x0035});

        // A fatal protocol_version alert and nothing else: no ServerHello for TLS 1.1.
        assertThat(answer).as("answer to a TLS 1.1 ClientHello").hasSizeGreaterThanOrEqualTo(7);
        assertThat(answer[0]).as("record type (21 = alert)").isEqualTo((byte) 21);
        assertThat(answer[5]).as("alert level (2 = fatal)").isEqualTo((byte) 2);
        assertThat(answer[6]).as("alert description (70 = protocol_version)").isEqualTo((byte) 70);
    }

    @Test
    void answersTls12ClientHelloWithServerHello() throws Exception {
        // The same hand-made ClientHello as TLS 1.2 with AEAD suites is answered: the refusal above is the version.
        byte[] answer = sendClientHello(0x0303, new int[] {0xC02F, 0xC02B, 0xC030, 0xC02C});

        assertThat(answer[0]).as("record type (22 = handshake)").isEqualTo((byte) 22);
        assertThat(answer[5]).as("handshake type (2 = ServerHello)").isEqualTo((byte) 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256"})
    void refusesSuitesThatAreNotForwardSecretAead(String suite) {
        // "Received fatal alert" shows the broker refused; a suite the client itself lacks fails differently.
        assertThatThrownBy(() -> MqttsConnection.open(broker.mqttsPort(), client1, MqttVersion.V5, socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {suite});
        })).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("Received fatal alert: handshake_failure");
    }

    // ---------------------------------------------------------------- server certificates

    @Test
    void givesRsaCertificateToTls12ClientOfferingOnlyRsaSuites() throws Exception {
        X509Certificate leaf = serverLeaf(socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        });

        assertThat(leaf.getPublicKey()).isInstanceOfSatisfying(RSAPublicKey.class,
                key -> assertThat(key.getModulus().bitLength()).isGreaterThanOrEqualTo(2048));
    }

    @Test
    void givesP384CertificateToTls12ClientOfferingOnlyEcdsaSuites() throws Exception {
        X509Certificate leaf = serverLeaf(socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        });

        assertThat(leaf.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class,
                key -> assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(384));
    }

    @Test
    void prefersEcCertificateForTls12ClientOfferingBoth() throws Exception {
        X509Certificate leaf = serverLeaf(socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"}));

        assertThat(leaf.getPublicKey()).isInstanceOf(ECPublicKey.class);
    }

    @Test
    void givesEcCertificateToDefaultTls13Client() throws Exception {
        try (MqttsConnection connection = MqttsConnection.open(broker.mqttsPort(), client1, MqttVersion.V5,
                socket -> { })) {
            assertThat(connection.socket().getSession().getProtocol()).isEqualTo("TLSv1.3");
            Certificate leaf = connection.socket().getSession().getPeerCertificates()[0];

            assertThat(leaf.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class,
                    key -> assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(384));
        }
    }

    @Test
    void sendsLeafAndIntermediate() throws Exception {
        try (MqttsConnection connection = MqttsConnection.open(broker.mqttsPort(), client1, MqttVersion.V5,
                socket -> { })) {
            Certificate[] chain = connection.socket().getSession().getPeerCertificates();

            assertThat(chain).hasSize(2);
            assertThat(((X509Certificate) chain[0]).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            assertThat(chain[1]).isEqualTo(broker.pki().intermediateCertificate());
        }
    }

    // ---------------------------------------------------------------- not TLS, and silent peers

    @Test
    void closesPlainMqttWithoutAnsweringAByte() throws Exception {
        ListAppender<ILoggingEvent> transportLog = captureTransportLog();
        try (Socket socket = new Socket("127.0.0.1", broker.mqttsPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(TlsAuthProbe.encode(connect(MqttVersion.V3_1_1, "plain", null),
                    MqttVersion.V3_1_1));
            socket.getOutputStream().flush();

            assertThat(readUntilClosed(socket.getInputStream())).as("bytes answered in clear").isEmpty();
            String remote = "remote=/127.0.0.1:" + socket.getLocalPort();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(lines(transportLog))
                    .anyMatch(line -> line.startsWith("Connection is not TLS") && line.contains(remote)));
        } finally {
            releaseTransportLog(transportLog);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closesTcpConnectionThatSendsNoClientHello(Transport transport) throws Exception {
        int port = transport == Transport.MQTTS ? broker.mqttsPort() : broker.webSocketPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            long start = System.nanoTime();

            assertThat(readUntilClosed(socket.getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(SHORT_TIMEOUT.minusMillis(500),
                    TIMEOUT.minusSeconds(1));
        }
    }

    @Test
    void closesSecureWebSocketThatNeverAsksForTheUpgrade() throws Exception {
        // The handshake timeout covers the WebSocket upgrade too: TLS done, no HTTP request.
        try (SSLSocket socket = TlsAuthProbe.tlsSocket(broker.webSocketPort(), client1, s -> { })) {
            socket.startHandshake();
            long start = System.nanoTime();

            assertThat(readUntilClosed(socket.getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.minusSeconds(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closesTlsConnectionThatSendsNoConnect(Transport transport) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = TlsAuthProbe.open(transport, broker, client1, MqttVersion.V5)) {
            assertThat(connection.awaitClosed(TIMEOUT)).as("packets before the close").isEmpty();
            // The timer starts when TLS (and the upgrade) is done, after the clock here started.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT_TIMEOUT);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static X509Certificate serverLeaf(java.util.function.Consumer<SSLSocket> configure) throws Exception {
        try (MqttsConnection connection = MqttsConnection.open(broker.mqttsPort(), client1, MqttVersion.V5,
                configure)) {
            return (X509Certificate) connection.socket().getSession().getPeerCertificates()[0];
        }
    }

    /** Reads until the peer closes (or resets) the connection; returns the bytes received meanwhile. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset is a close too; what counts is what arrived before it.
        }
        return received.toByteArray();
    }

    /**
     * Sends a hand-made ClientHello with the given legacy version and suites (the JDK client refuses to
     * offer TLS 1.1 at all) and returns the first TLS record of the answer: header and body.
     */
    private static byte[] sendClientHello(int version, int[] suites) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0);
        writeShort(body, suites.length * 2);
        for (int suite : suites) {
            writeShort(body, suite);
        }
        body.write(1);
        body.write(0);
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000A, new byte[] {0, 4, 0, 0x17, 0, 0x18});
        extension(extensions, 0x000B, new byte[] {1, 0});
        extension(extensions, 0x000D, new byte[] {0, 8, 4, 3, 5, 3, 4, 1, 5, 1});
        extension(extensions, 0xFF01, new byte[] {0});
        writeShort(body, extensions.size());
        body.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22);
        writeShort(record, 0x0301);
        writeShort(record, body.size() + 4);
        record.write(1);
        record.write(0);
        writeShort(record, body.size());
        record.writeBytes(body.toByteArray());

        try (Socket socket = new Socket("127.0.0.1", broker.mqttsPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(record.toByteArray());
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[5];
            in.readFully(header);
            int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
            byte[] answer = new byte[5 + length];
            System.arraycopy(header, 0, answer, 0, 5);
            in.readFully(answer, 5, length);
            return answer;
        }
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        writeShort(out, type);
        writeShort(out, data.length);
        out.writeBytes(data);
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    private static ListAppender<ILoggingEvent> captureTransportLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("io.portcullis.transport")).addAppender(appender);
        return appender;
    }

    private static void releaseTransportLog(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger("io.portcullis.transport")).detachAppender(appender);
    }

    private static List<String> lines(ListAppender<ILoggingEvent> appender) {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
