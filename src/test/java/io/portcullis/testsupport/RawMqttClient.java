package io.portcullis.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttPacketDecoder;
import io.portcullis.protocol.codec.MqttPacketEncoder;
import io.portcullis.protocol.codec.MqttVersion;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare MQTT client over mutual TLS for conformance tests: it sends exactly the bytes a test asks for
 * (packets written by the broker's own {@link MqttPacketEncoder}, or raw bytes for malformed input) and
 * hands back every packet the broker sends, decoded by a client-side {@link MqttPacketDecoder}, in
 * order, with the end of the stream as a last event. Nothing is answered automatically: no PUBACK, no
 * PINGREQ, no reconnect, so a test sees the broker's behaviour undisguised.
 *
 * <p>Threads: a daemon thread per client reads the socket and owns the decoder; the test thread sends
 * and waits. One instance per connection; {@link #close()} closes the socket without a DISCONNECT,
 * which is an abnormal close as MQTT sees it.
 */
public final class RawMqttClient implements AutoCloseable {
    private static final Object END_OF_STREAM = new Object() {
        @Override
        public String toString() {
            return "end of stream";
        }
    };
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final SSLSocket socket;
    private final OutputStream out;
    private final MqttVersion version;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    private RawMqttClient(SSLSocket socket, MqttVersion version) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.version = version;
        InputStream in = socket.getInputStream();
        this.reader = new Thread(() -> readLoop(in), "raw-mqtt-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens a TLS connection to {@code localhost:port} (the server certificate is checked against the
     * host name) and prepares to read packets in {@code version}. Sends nothing yet.
     *
     * @param version the version the broker's packets are decoded in; an answer to an unsupported
     *                protocol level comes in MQTT 3.1.1 form, so pass {@link MqttVersion#V3_1_1} then
     */
    public static RawMqttClient open(SSLContext context, int port, MqttVersion version) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            socket.startHandshake();
            socket.setSoTimeout(0);
            return new RawMqttClient(socket, version);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The bytes {@code packet} takes on the wire in {@code version}, from the broker's own encoder. */
    public static byte[] encode(MqttPacket packet, MqttVersion version) {
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

    /** The TLS session of the connection. */
    public javax.net.ssl.SSLSession tlsSession() {
        return socket.getSession();
    }

    public MqttVersion version() {
        return version;
    }

    /** Sends {@code packet} encoded in this client's version (a CONNECT in its own). */
    public void send(MqttPacket packet) throws IOException {
        sendRaw(encode(packet, version));
    }

    /** Sends bytes exactly as given. */
    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code connect} and returns the CONNACK, whatever its code. */
    public Connack connect(Connect connect, Duration timeout) throws IOException {
        send(connect);
        return expectPacket(Connack.class, timeout);
    }

    /**
     * Waits for the next packet, which must be a {@code type}; fails on another packet, on the end of the
     * stream, or when nothing arrives within {@code timeout}.
     */
    public <T extends MqttPacket> T expectPacket(Class<T> type, Duration timeout) {
        Object next = poll(timeout);
        if (next == null) {
            throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
        }
        if (!type.isInstance(next)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but received " + describe(next));
        }
        return type.cast(next);
    }

    /**
     * Returns the next packet, or {@code null} when none arrives within {@code timeout}; fails on the end
     * of the stream. For tests that collect an unknown number of packets.
     */
    public MqttPacket nextPacket(Duration timeout) {
        Object next = poll(timeout);
        if (next == END_OF_STREAM) {
            throw new AssertionError("connection closed while waiting for a packet");
        }
        return (MqttPacket) next;
    }

    /** Waits for the end of the stream with no packet before it. */
    public void expectClosed(Duration timeout) {
        Object next = poll(timeout);
        if (next == null) {
            throw new AssertionError("connection still open after " + timeout);
        }
        if (next != END_OF_STREAM) {
            throw new AssertionError("expected the connection to close but received " + describe(next));
        }
    }

    /** Asserts that neither a packet nor the end of the stream arrives for {@code quiet}. */
    public void expectNothing(Duration quiet) {
        Object next = poll(quiet);
        if (next != null) {
            throw new AssertionError("expected nothing for " + quiet + " but received " + describe(next));
        }
    }

    /** Closes the socket without a DISCONNECT (a network failure, as the broker sees it). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all a test wants; the broker notices either way.
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Object poll(Duration timeout) {
        try {
            Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next == END_OF_STREAM) {
                // Stays at the head, so every later wait sees the closed stream too.
                received.add(END_OF_STREAM);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the broker", e);
        }
    }

    private void readLoop(InputStream in) {
        MqttPacketDecoder decoder = new MqttPacketDecoder(MqttPacketDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE, false);
        decoder.version(version);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(buffer, n)));
                for (Object packet = channel.readInbound(); packet != null; packet = channel.readInbound()) {
                    received.add(packet);
                }
            }
        } catch (IOException e) {
            // A reset or a TLS alert ends the stream just as EOF does.
        } finally {
            channel.finishAndReleaseAll();
            received.add(END_OF_STREAM);
        }
    }

    private static String describe(Object event) {
        return event == END_OF_STREAM ? "the end of the stream" : event.getClass().getSimpleName() + " " + event;
    }
}
