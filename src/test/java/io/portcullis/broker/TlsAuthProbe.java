package io.portcullis.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.Thumbprints;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttPacketDecoder;
import io.portcullis.protocol.codec.MqttPacketEncoder;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.testsupport.RunningBroker;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw MQTT connections for the TLS and authentication integration tests: MQTTS over a JDK
 * {@link SSLSocket} and secure WebSockets over the JDK {@link HttpClient}, both sending packets written by
 * the broker's own encoder and decoding the answers with its decoder, so a test sees the exact CONNACK,
 * DISCONNECT or TLS failure; plus the TLS contexts and dev-chained certificates the tests present. A
 * connection is used by one test thread; the WebSocket listener hands received bytes to it through a queue.
 */
final class TlsAuthProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Object CLOSED = new Object();

    private TlsAuthProbe() {
    }

    /** The two listeners. */
    enum Transport {
        MQTTS, WSS
    }

    /** One raw MQTT connection over either listener. */
    interface Connection extends AutoCloseable {
        void send(MqttPacket packet) throws IOException;

        /**
         * The next packet from the broker, or {@code null} when the broker closed the connection.
         *
         * @throws IOException    a TLS alert or a reset
         * @throws AssertionError when nothing arrives within {@code timeout}
         */
        MqttPacket receive(Duration timeout) throws IOException;

        /** The client's local port, which the broker logs as the remote address. */
        int localPort();

        @Override
        void close();

        /** Waits until the broker closes the connection, returning the packets it sent before closing. */
        default List<MqttPacket> awaitClosed(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<MqttPacket> packets = new ArrayList<>();
            while (true) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    throw new AssertionError("connection still open after " + timeout + "; received " + packets);
                }
                try {
                    MqttPacket packet = receive(left);
                    if (packet == null) {
                        return packets;
                    }
                    packets.add(packet);
                } catch (IOException e) {
                    return packets;
                }
            }
        }
    }

    // ---------------------------------------------------------------- opening connections

    /** Opens a connection over TLS (and the WebSocket upgrade on WSS); fails with the TLS or upgrade error. */
    static Connection open(Transport transport, RunningBroker broker, SSLContext context, MqttVersion version)
            throws IOException {
        return transport == Transport.MQTTS
                ? MqttsConnection.open(broker.mqttsPort(), context, version, socket -> { })
                : WssConnection.open(broker.webSocketPort(), context, version);
    }

    /** The result of sending one CONNECT: the CONNACK, or the TLS-level failure that came instead. */
    record Attempt(Connection connection, Connack connack, Throwable tlsFailure) {
        boolean accepted() {
            return connack != null && connack.reasonCode() == 0;
        }
    }

    /**
     * Opens a connection and sends {@code connect}. A TLS failure during the handshake or after it (with
     * TLS 1.3 the client finishes before the broker has checked its certificate) is returned, not thrown.
     */
    static Attempt connect(Transport transport, RunningBroker broker, SSLContext context, Connect connect) {
        return connect(() -> open(transport, broker, context, connect.version()), connect);
    }

    /** Opens a connection, for example to a broker in another process. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws IOException;
    }

    /** As {@link #connect(Transport, RunningBroker, SSLContext, Connect)}, on a connection {@code opener} opens. */
    static Attempt connect(Opener opener, Connect connect) {
        Connection connection;
        try {
            connection = opener.open();
        } catch (IOException e) {
            return new Attempt(null, null, e);
        }
        try {
            connection.send(connect);
            MqttPacket answer = connection.receive(TIMEOUT);
            if (answer == null) {
                connection.close();
                return new Attempt(null, null, new SocketException("closed without an answer"));
            }
            assertThat(answer).as("first packet from the broker").isInstanceOf(Connack.class);
            return new Attempt(connection, (Connack) answer, null);
        } catch (IOException e) {
            connection.close();
            return new Attempt(null, null, e);
        }
    }

    /** Connects and asserts that TLS refused the client: no CONNACK, an SSL alert or a reset. */
    static Throwable assertRefusedByTls(Transport transport, RunningBroker broker, SSLContext context,
                                        Connect connect) {
        Attempt attempt = connect(transport, broker, context, connect);
        assertThat(attempt.connack()).as("CONNACK after a refused handshake").isNull();
        Throwable failure = attempt.tlsFailure();
        assertThat(failure).as("TLS failure").isNotNull();
        assertThat(causes(failure)).as("cause chain of " + failure)
                .anyMatch(t -> t instanceof SSLException || t instanceof SocketException);
        return failure;
    }

    /** Connects and asserts a CONNACK with the given code; returns the open connection when accepted. */
    static Attempt assertConnack(Transport transport, RunningBroker broker, SSLContext context, Connect connect,
                                 int expectedCode) {
        Attempt attempt = connect(transport, broker, context, connect);
        assertThat(attempt.tlsFailure()).as("TLS failure").isNull();
        assertThat(attempt.connack().reasonCode()).as("CONNACK code, reason string: %s",
                attempt.connack().reasonString()).isEqualTo(expectedCode);
        if (expectedCode != 0) {
            assertThat(attempt.connection().awaitClosed(TIMEOUT)).as("after a refusing CONNACK").isEmpty();
        }
        return attempt;
    }

    static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    // ---------------------------------------------------------------- packets

    static Connect connect(MqttVersion version, String clientId, String username) {
        return connect(version, clientId, username, true, 0);
    }

    static Connect connect(MqttVersion version, String clientId, String username, boolean cleanStart,
                           long sessionExpiryInterval) {
        return new Connect(version, clientId, cleanStart, 60, username, null, null, sessionExpiryInterval,
                Connect.DEFAULT_RECEIVE_MAXIMUM, Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null,
                null);
    }

    static Disconnect normalDisconnect() {
        return Disconnect.of(0, null);
    }

    static byte[] encode(MqttPacket packet, MqttVersion version) {
        MqttPacketEncoder encoder = new MqttPacketEncoder();
        encoder.version(version);
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        try {
            channel.writeOutbound(packet);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
                byte[] chunk = new byte[buffer.readableBytes()];
                buffer.readBytes(chunk);
                buffer.release();
                bytes.writeBytes(chunk);
            }
            return bytes.toByteArray();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Client-side decoding of the broker's byte stream. Confined to the test thread. */
    private static final class Decoding {
        private final EmbeddedChannel channel;

        Decoding(MqttVersion version) {
            MqttPacketDecoder decoder = new MqttPacketDecoder(MqttPacketDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE, false);
            decoder.version(version);
            channel = new EmbeddedChannel(decoder);
        }

        void feed(byte[] bytes, int length) {
            channel.writeInbound(Unpooled.copiedBuffer(bytes, 0, length));
        }

        MqttPacket next() {
            return channel.readInbound();
        }

        void close() {
            channel.finishAndReleaseAll();
        }
    }

    // ---------------------------------------------------------------- MQTTS

    /** MQTT over a JDK TLS socket. */
    static final class MqttsConnection implements Connection {
        private final SSLSocket socket;
        private final MqttVersion version;
        private final Decoding decoding;
        private final InputStream in;

        private MqttsConnection(SSLSocket socket, MqttVersion version) throws IOException {
            this.socket = socket;
            this.version = version;
            this.decoding = new Decoding(version);
            this.in = socket.getInputStream();
        }

        /** Connects to 127.0.0.1, checks the server name, lets {@code configure} narrow versions and suites. */
        static MqttsConnection open(int port, SSLContext context, MqttVersion version, Consumer<SSLSocket> configure)
                throws IOException {
            SSLSocket socket = tlsSocket(port, context, configure);
            try {
                socket.startHandshake();
                return new MqttsConnection(socket, version);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        SSLSocket socket() {
            return socket;
        }

        @Override
        public void send(MqttPacket packet) throws IOException {
            socket.getOutputStream().write(encode(packet, version));
            socket.getOutputStream().flush();
        }

        @Override
        public MqttPacket receive(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buffer = new byte[4096];
            while (true) {
                MqttPacket packet = decoding.next();
                if (packet != null) {
                    return packet;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no packet from the broker within " + timeout);
                }
                socket.setSoTimeout((int) left);
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no packet from the broker within " + timeout, e);
                }
                if (read < 0) {
                    return null;
                }
                decoding.feed(buffer, read);
            }
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            decoding.close();
            try {
                socket.close();
            } catch (IOException e) {
                // Already reset by the broker; nothing left to release.
            }
        }
    }

    /** A TLS socket to 127.0.0.1 that checks the server certificate's IP address, before its handshake. */
    static SSLSocket tlsSocket(int port, SSLContext context, Consumer<SSLSocket> configure) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        configure.accept(socket);
        return socket;
    }

    // ---------------------------------------------------------------- secure WebSockets

    /** MQTT over the JDK WebSocket client, subprotocol {@code mqtt}. */
    static final class WssConnection implements Connection, WebSocket.Listener {
        private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
        private final MqttVersion version;
        private final Decoding decoding;
        private WebSocket webSocket;

        private WssConnection(MqttVersion version) {
            this.version = version;
            this.decoding = new Decoding(version);
        }

        static WssConnection open(int port, SSLContext context, MqttVersion version) throws IOException {
            HttpClient http = HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build();
            WssConnection connection = new WssConnection(version);
            try {
                connection.webSocket = http.newWebSocketBuilder().subprotocols("mqtt").connectTimeout(TIMEOUT)
                        .buildAsync(URI.create("wss://127.0.0.1:" + port + "/mqtt"), connection)
                        .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException("WebSocket upgrade did not finish", e);
            }
            assertThat(connection.webSocket.getSubprotocol()).isEqualTo("mqtt");
            return connection;
        }

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            inbound.add(bytes);
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            inbound.add(new IOException("text frame from the broker: " + data));
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            inbound.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            inbound.add(error instanceof IOException ? error : new IOException(error));
        }

        @Override
        public void send(MqttPacket packet) throws IOException {
            try {
                webSocket.sendBinary(ByteBuffer.wrap(encode(packet, version)), true)
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException("send did not finish", e);
            }
        }

        @Override
        public MqttPacket receive(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                MqttPacket packet = decoding.next();
                if (packet != null) {
                    return packet;
                }
                Object next;
                try {
                    next = inbound.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                if (next == null) {
                    throw new AssertionError("no packet from the broker within " + timeout);
                }
                if (next == CLOSED) {
                    inbound.add(CLOSED);
                    return null;
                }
                if (next instanceof IOException error) {
                    inbound.add(error);
                    throw error;
                }
                byte[] bytes = (byte[]) next;
                decoding.feed(bytes, bytes.length);
            }
        }

        @Override
        public int localPort() {
            // The JDK client does not expose its socket; tests that need the port use MQTTS.
            throw new UnsupportedOperationException("the JDK WebSocket client hides its local port");
        }

        @Override
        public void close() {
            decoding.close();
            if (webSocket != null) {
                webSocket.abort();
            }
        }
    }

    // ---------------------------------------------------------------- TLS contexts and certificates

    /** A context that trusts the dev CA and presents no client certificate. */
    static SSLContext trustOnlyContext(RunningBroker broker) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemFiles.readCertificates(broker.caFile()).get(0));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** A context presenting {@code certificate}'s chain (leaf and intermediates) and trusting the dev CA. */
    static SSLContext context(IssuedCertificate certificate, RunningBroker broker) throws Exception {
        return RunningBroker.sslContext(certificate.chain(), certificate.privateKey(), broker.caFile());
    }

    /** The dev intermediate CA with its key, to issue more dev-chained certificates. */
    static IssuedCertificate devIntermediate(DevPki.Layout pki) throws IOException {
        return new IssuedCertificate(pki.intermediateCertificate(),
                PemFiles.readPrivateKey(pki.intermediateCa().privateKey()), List.of());
    }

    static String thumbprint(X509Certificate certificate) {
        return Thumbprints.thumbprint(certificate);
    }
}
