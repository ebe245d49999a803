package io.portcullis.admin;

import io.portcullis.admin.http.ApiResponse;
import io.portcullis.cli.DevConfiguration;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.transport.ServerCredentials;
import io.portcullis.transport.TlsEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin listener's clocks on a real TLS socket: a request trickled in, never finished, is cut off after the
 * request timeout even though bytes keep arriving; a connection that finished its request and then stays silent
 * is closed after the idle timeout. Timeouts are short here so the test is quick.
 */
class AdminServerTimeoutIT {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(800);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path directory;
    private AdminServer server;
    private SSLContext adminTls;

    @BeforeEach
    void start() throws Exception {
        DevPki.Layout pki = DevPki.ensure(directory, 1);
        BrokerConfig dev = DevConfiguration.build(pki, 0, 0, 0);
        AdminConfig admin = dev.admin();
        AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, admin.caCertificateFiles(),
                admin.caCertificates(), admin.thumbprints());
        ServerCredentials credentials = ServerCredentials.load(
                dev.tls().serverCertificate(ServerKeyType.EC_P384).certificate(),
                dev.tls().serverCertificate(ServerKeyType.EC_P384).privateKey(),
                dev.tls().serverCertificate(ServerKeyType.RSA).certificate(),
                dev.tls().serverCertificate(ServerKeyType.RSA).privateKey());
        server = AdminServer.start(config, credentials, TlsEngine.Jdk, Duration.ofSeconds(10), REQUEST_TIMEOUT,
                IDLE_TIMEOUT, Map.of("/metrics", request -> ApiResponse.text(200, "ok\n", "text/plain")),
                Clock.systemUTC());
        adminTls = RunningBroker.sslContext(PemFiles.readCertificates(pki.adminClient().certificate()),
                PemFiles.readPrivateKey(pki.adminClient().privateKey()), pki.caFile());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) adminTls.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.startHandshake();
        return socket;
    }

    @Test
    void closesAConnectionThatTricklesItsRequestHeadPastTheRequestTimeout() throws Exception {
        try (SSLSocket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            String partial = "GET /metr";
            // One byte every 100 ms keeps the connection from ever being idle.
            try {
                for (int i = 0; i < 40 && !isClosed(socket); i++) {
                    out.write(partial.charAt(i % partial.length()));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // Written after the server closed: what the test waits for below.
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> isClosed(socket));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(IDLE_TIMEOUT);
        }
    }

    @Test
    void answersAWholeRequestAndClosesTheConnectionOnceIdle() throws Exception {
        try (SSLSocket socket = connect()) {
            socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(5_000);
            byte[] answer = new byte[512];
            int read = socket.getInputStream().read(answer);
            assertThat(new String(answer, 0, read, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");

            // Past the request timeout the answered connection is still open: the clock stopped with the request.
            Thread.sleep(REQUEST_TIMEOUT.toMillis() * 2);
            assertThat(isClosed(socket)).isFalse();
            await().atMost(Duration.ofSeconds(15)).until(() -> isClosed(socket));
        }
    }

    /** Whether the server has closed the connection; reads with a short timeout so the probe never blocks long. */
    private static boolean isClosed(SSLSocket socket) {
        try {
            socket.setSoTimeout(50);
            InputStream in = socket.getInputStream();
            int read = in.read();
            // A partial request gets no answer; anything read here would be unexpected, so treat it as open.
            return read < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // Closed by the server, or shut down after an earlier probe read the end of the stream.
            return true;
        }
    }
}
