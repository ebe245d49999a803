package io.portcullis.transport;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.registry.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The MQTTS listener over real TLS on loopback, on each available engine. */
@ParameterizedClass(name = "engine={0}")
@MethodSource("io.portcullis.transport.Engines#available")
class MqttsListenerIT {

    /** An MQTT 3.1.1 CONNECT with an empty client id, as a client would send it without TLS. */
    private static final byte[] PLAIN_CONNECT = {0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C,
            0x00, 0x00};

    @Parameter
    TlsEngine engine;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void echoesBytesAndRecordsTheVerifiedChainSniAndProtocol() throws Exception {
        server = TestServer.mqtts(engine);

        try (SSLSocket socket = connect(TestPki.clientContext(TestPki.CLIENT), null, null)) {
            // The JDK sends SNI only for names with a dot, so "localhost" needs an explicit one.
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("broker.portcullis.test")));
            socket.setSSLParameters(parameters);
            socket.startHandshake();

            assertThat(roundTrip(socket, "hello broker")).isEqualTo("hello broker");
        }
        assertThat(server.installer.installed).hasSize(1);
        TlsConnectionInfo info = server.installer.installed.get(0);
        assertThat(info.peerChain()).containsExactly(TestPki.CLIENT.certificate(), TestPki.INTERMEDIATE.certificate());
        assertThat(info.sniHostName()).isEqualTo("broker.portcullis.test");
        assertThat(info.protocol()).isEqualTo("TLSv1.3");
        assertThat(info.cipherSuite()).startsWith("TLS_");
        assertThat(server.installer.pipelineNames).startsWith("tls").contains("echo")
                .doesNotContain(TlsChannelInitializer.HANDSHAKE_TIMEOUT, "sni", "tlsFailure", "tlsEstablished");
    }

    @Test
    void handshakeWithoutClientCertificateFails() throws Exception {
        server = TestServer.mqtts(engine);

        try (SSLSocket socket = connect(TestPki.clientContext(null), null, null)) {
            assertConnectionRefused(socket);
        }
        assertThat(server.installer.installed).isEmpty();
    }

    @Test
    void clientCertificateTheVerifierRefusesFails() throws Exception {
        server = TestServer.mqtts(engine);

        try (SSLSocket socket = connect(TestPki.clientContext(TestPki.SELF_SIGNED_CLIENT), null, null)) {
            assertConnectionRefused(socket);
        }
        assertThat(server.verifier.calls).hasPositiveValue();
        assertThat(server.installer.installed).isEmpty();
    }

    @Test
    void tls12ClientOfferingOnlyEcdheRsaGetsTheRsaCertificate() throws Exception {
        assumeTrue(engine == TlsEngine.Jdk, "BoringSSL cannot choose RSA per client; see TlsContextFactory.resolve");
        server = TestServer.mqtts(engine);

        X509Certificate[] chain = serverChain("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

        assertThat(chain[0]).isEqualTo(TestPki.SERVER_RSA.certificate());
        assertThat(chain).hasSize(2);
    }

    @Test
    void tls12ClientOfferingOnlyEcdheEcdsaGetsTheP384Certificate() throws Exception {
        server = TestServer.mqtts(engine);

        X509Certificate[] chain = serverChain("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

        assertThat(chain[0]).isEqualTo(TestPki.SERVER_EC.certificate());
    }

    @Test
    void tls13DefaultClientGetsTheEcCertificateWithItsIntermediate() throws Exception {
        server = TestServer.mqtts(engine);

        X509Certificate[] chain = serverChain(null, null);

        assertThat(chain).containsExactly(TestPki.SERVER_EC.certificate(), TestPki.INTERMEDIATE.certificate());
    }

    @Test
    void clientWithRsaCertificateConnectsToo() throws Exception {
        server = TestServer.mqtts(engine);

        try (SSLSocket socket = connect(TestPki.clientContext(TestPki.RSA_CLIENT), "TLSv1.2", null)) {
            assertThat(roundTrip(socket, "rsa")).isEqualTo("rsa");
        }
        assertThat(server.installer.installed.get(0).protocol()).isEqualTo("TLSv1.2");
        assertThat(server.installer.installed.get(0).sniHostName()).as("no SNI sent").isNull();
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        server = TestServer.mqtts(engine);

        try (SSLSocket socket = connect(TestPki.clientContext(TestPki.CLIENT), "TLSv1.2", null)) {
            assertThat(roundTrip(socket, "first")).isEqualTo("first");

            Throwable failure = catchThrowable(() -> {
                socket.startHandshake();
                roundTrip(socket, "second");
            });

            assertThat(failure).as("outcome of a TLS 1.2 renegotiation").isNotNull()
                    .isInstanceOfAny(SSLException.class, SocketException.class);
        }
    }

    @Test
    void tls11ClientHelloIsRefused() throws Exception {
        server = TestServer.mqtts(engine);

        try (Socket socket = rawSocket()) {
            socket.getOutputStream().write(tls11ClientHello());
            socket.getOutputStream().flush();

            int first = readFirstByteOrEnd(socket.getInputStream());
            // A ServerHello would start with a handshake record (22); a refusal is an alert (21) or a close.
            assertThat(first).isIn(-1, 21);
        }
        assertThat(server.installer.installed).isEmpty();
    }

    @Test
    void plainMqttConnectGetsNoBytesAndTheConnectionCloses() throws Exception {
        server = TestServer.mqtts(engine);

        try (Socket socket = rawSocket()) {
            socket.getOutputStream().write(PLAIN_CONNECT);
            socket.getOutputStream().flush();

            assertThat(readAll(socket.getInputStream())).isEmpty();
        }
    }

    @Test
    void handshakeTimeoutClosesAnIdleConnection() throws Exception {
        server = TestServer.mqtts(engine, Duration.ofMillis(300));
        long start = System.nanoTime();

        try (Socket socket = rawSocket()) {
            assertThat(readAll(socket.getInputStream())).isEmpty();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
                Duration.ofSeconds(4));
    }

    @Test
    void listenerBindsAnEphemeralPortAndCannotStartTwice() throws Exception {
        server = TestServer.mqtts(engine);

        assertThat(server.port()).isPositive();
        assertThatThrownBy(() -> server.listener.start()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reloadedContextServesNewConnectionsAndKeepsEstablishedOnes() throws Exception {
        server = TestServer.mqtts(engine);
        IssuedCertificate otherEc = CertificateIssuer.server(TestPki.INTERMEDIATE, KeyAlgorithm.EcP384);
        ServerCredentials reloaded = new ServerCredentials(otherEc.privateKey(), otherEc.chain(),
                TestPki.SERVER_RSA.privateKey(), TestPki.SERVER_RSA.chain());

        try (SSLSocket established = connect(TestPki.clientContext(TestPki.CLIENT), null, null)) {
            assertThat(roundTrip(established, "before")).isEqualTo("before");
            server.contexts.replace(TlsContextFactory.create(reloaded, server.verifier, () -> Registry.EMPTY,
                    engine));

            assertThat(roundTrip(established, "after")).isEqualTo("after");
            assertThat(established.getSession().getPeerCertificates()[0]).isEqualTo(TestPki.SERVER_EC.certificate());
            assertThat(serverChain(null, null)[0]).isEqualTo(otherEc.certificate());
        }
    }

    @Test
    void expiredClientCertificateIsRefusedByAVerifierThatChecksDates() throws Exception {
        server = TestServer.mqtts(engine);
        IssuedCertificate expired = CertificateIssuer.client(TestPki.INTERMEDIATE, "old", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(Instant.now().minusSeconds(7200),
                        Instant.now().minusSeconds(3600)));

        try (SSLSocket socket = connect(TestPki.clientContext(expired), null, null)) {
            assertConnectionRefused(socket);
        }
        assertThat(server.installer.installed).isEmpty();
    }

    private X509Certificate[] serverChain(String protocol, String suite) throws Exception {
        try (SSLSocket socket = connect(TestPki.clientContext(TestPki.CLIENT), protocol, suite)) {
            socket.startHandshake();
            X509Certificate[] chain = (X509Certificate[]) socket.getSession().getPeerCertificates();
            assertThat(roundTrip(socket, "x")).isEqualTo("x");
            return chain;
        }
    }

    private SSLSocket connect(SSLContext context, String protocol, String suite) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", server.port());
        socket.setSoTimeout(5000);
        if (protocol != null) {
            socket.setEnabledProtocols(new String[] {protocol});
        }
        if (suite != null) {
            socket.setEnabledCipherSuites(new String[] {suite});
        }
        return socket;
    }

    private Socket rawSocket() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String roundTrip(SSLSocket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        byte[] received = socket.getInputStream().readNBytes(bytes.length);
        return new String(received, StandardCharsets.UTF_8);
    }

    /**
     * In TLS 1.3 the client finishes its handshake before the server has judged its certificate, so the
     * refusal may arrive on the first read instead; either way no application byte comes back.
     */
    private static void assertConnectionRefused(SSLSocket socket) {
        Throwable failure = catchThrowable(() -> {
            socket.startHandshake();
            socket.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            int read = socket.getInputStream().read();
            assertThat(read).as("byte after refused handshake").isEqualTo(-1);
        });
        if (failure != null) {
            assertThat(failure).isInstanceOfAny(SSLException.class, SocketException.class)
                    .isNotInstanceOf(SocketTimeoutException.class);
        }
    }

    private static int readFirstByteOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** Reads until the server closes; a reset counts as closed. Fails on timeout. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException timeout) {
            throw new AssertionError("Server did not close the connection", timeout);
        } catch (SocketException reset) {
            // Closed by the server with pending unread data: still nothing was sent.
        }
        return out.toByteArray();
    }

    /** A minimal TLS 1.1 ClientHello with CBC suites only (TLS 1.1 has no AEAD suites). */
    static byte[] tls11ClientHello() {
        ByteBuffer body = ByteBuffer.allocate(512);
        body.putShort((short) 0x0302);
        body.put(new byte[32]);
        body.put((byte) 0);
        body.putShort((short) 6).putShort((short) 0xC013).putShort((short) 0xC009).putShort((short) 0x002F);
        body.put((byte) 1).put((byte) 0);
        ByteBuffer extensions = ByteBuffer.allocate(64);
        extensions.putShort((short) 0x000A).putShort((short) 4).putShort((short) 2).putShort((short) 0x0017);
        extensions.putShort((short) 0x000B).putShort((short) 2).put((byte) 1).put((byte) 0);
        extensions.flip();
        body.putShort((short) extensions.remaining()).put(extensions);
        body.flip();

        ByteBuffer record = ByteBuffer.allocate(5 + 4 + body.remaining());
        record.put((byte) 22).putShort((short) 0x0301).putShort((short) (4 + body.remaining()));
        record.put((byte) 1).put((byte) 0).putShort((short) body.remaining()).put(body);
        return record.array();
    }
}
