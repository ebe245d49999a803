package io.portcullis.protocol;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.NotSslRecordException;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.ReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

/** Exceptions reaching the protocol handler: who caused them, what is logged, what the client gets. */
class ConnectionFailureTest {
    /** Each test moves the clock to a later rate-limit window than any test before it. */
    private static final AtomicLong WINDOWS = new AtomicLong();

    private final TestBroker broker = new TestBroker();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
        // The connection log's rate limiter is shared by the JVM: start a fresh window of its own.
        broker.clock.advanceSeconds(TimeUnit.DAYS.toSeconds(3650 + WINDOWS.incrementAndGet()));
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(log);
    }

    static Stream<Arguments> classifications() {
        return Stream.of(
                Arguments.of(new DecoderException(new SSLException("Tag mismatch!")),
                        ConnectionFailure.Kind.TRANSPORT, "SSLException: Tag mismatch!"),
                Arguments.of(new DecoderException(new SSLHandshakeException("renegotiation is not allowed")),
                        ConnectionFailure.Kind.TRANSPORT, "SSLHandshakeException: renegotiation is not allowed"),
                Arguments.of(new SSLException("closed engine"), ConnectionFailure.Kind.TRANSPORT,
                        "SSLException: closed engine"),
                Arguments.of(new DecoderException(new NotSslRecordException("not an SSL/TLS record: 0102")),
                        ConnectionFailure.Kind.TRANSPORT, "NotSslRecordException"),
                Arguments.of(new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                        "Max frame length of 65536 has been exceeded."), ConnectionFailure.Kind.TRANSPORT,
                        "CorruptedWebSocketFrameException: Max frame length of 65536 has been exceeded."),
                Arguments.of(new CorruptedFrameException("bad length"), ConnectionFailure.Kind.MALFORMED,
                        "CorruptedFrameException: bad length"),
                Arguments.of(new TooLongFrameException("frame too long"), ConnectionFailure.Kind.MALFORMED,
                        "TooLongFrameException: frame too long"),
                Arguments.of(new DecoderException("cannot decode"), ConnectionFailure.Kind.MALFORMED,
                        "DecoderException: cannot decode"),
                Arguments.of(new IOException("Connection reset by peer"), ConnectionFailure.Kind.NETWORK,
                        "IOException: Connection reset by peer"),
                Arguments.of(new DecoderException(new NullPointerException("session")),
                        ConnectionFailure.Kind.INTERNAL, "NullPointerException: session"),
                Arguments.of(new IllegalStateException("no session"), ConnectionFailure.Kind.INTERNAL,
                        "IllegalStateException: no session"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifications")
    void tellsPeerFaultsFromBrokerBugs(Throwable thrown, ConnectionFailure.Kind kind, String description) {
        ConnectionFailure failure = ConnectionFailure.of(thrown);

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.describe()).isEqualTo(description);
    }

    static Stream<Arguments> transportFailures() {
        return Stream.of(
                Arguments.of(new DecoderException(new SSLException("Tag mismatch!")), "SSLException: Tag mismatch!"),
                Arguments.of(new DecoderException(new SSLHandshakeException("renegotiation refused")),
                        "SSLHandshakeException: renegotiation refused"),
                Arguments.of(new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                        "Max frame length of 16 has been exceeded."),
                        "CorruptedWebSocketFrameException: Max frame length of 16 has been exceeded."));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("transportFailures")
    void transportFailureIsOneWarnWithoutStackTraceAndClosesWithoutAPacket(Throwable thrown, String cause) {
        TestClient client = connected();

        client.channel.pipeline().fireExceptionCaught(thrown);

        assertThat(client.received()).isEmpty();
        assertThat(client.isOpen()).isFalse();
        List<ILoggingEvent> lines = lines();
        assertThat(lines).hasSize(1);
        ILoggingEvent line = lines.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getThrowableProxy()).isNull();
        assertThat(line.getFormattedMessage()).contains("cause=\"" + cause + "\"", "clientId=dev",
                "authName=alice", "remote=embedded", "suppressed=0");
    }

    @Test
    void undecodableBytesGetDisconnectMalformedPacketInMqtt5() {
        TestClient client = connected();

        client.channel.pipeline().fireExceptionCaught(new CorruptedFrameException("bad length"));

        List<MqttPacket> packets = client.received();
        assertThat(packets).hasSize(1).first().isInstanceOf(Disconnect.class);
        assertThat(((Disconnect) packets.get(0)).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(client.isOpen()).isFalse();
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getThrowableProxy()).isNull();
            assertThat(line.getFormattedMessage()).contains("CorruptedFrameException: bad length");
        });
    }

    @Test
    void undecodableBytesCloseAnMqtt311ConnectionWithoutAPacket() {
        TestClient client = broker.newClient();
        client.connect(connect(V3_1_1, "dev", "alice").build());

        client.channel.pipeline().fireExceptionCaught(new CorruptedFrameException("bad length"));

        assertThat(client.received()).isEmpty();
        assertThat(client.isOpen()).isFalse();
        assertThat(lines()).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.WARN);
    }

    @Test
    void brokerBugIsAnErrorWithStackTraceAndUnspecifiedError() {
        TestClient client = connected();

        client.channel.pipeline().fireExceptionCaught(new IllegalStateException("no session"));

        List<MqttPacket> packets = client.received();
        assertThat(packets).hasSize(1).first().isInstanceOf(Disconnect.class);
        assertThat(((Disconnect) packets.get(0)).reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
        assertThat(lines()).anySatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getThrowableProxy()).isNotNull();
        });
    }

    @Test
    void networkLossIsNotLoggedAtWarn() {
        TestClient client = connected();

        client.channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        assertThat(client.isOpen()).isFalse();
        assertThat(lines()).isEmpty();
    }

    @Test
    void warnLinesAreRateLimitedAndCountWhatWasHeldBack() {
        for (int i = 0; i < 55; i++) {
            TestClient client = broker.newClient();
            client.channel.pipeline().fireExceptionCaught(new DecoderException(new SSLException("Tag mismatch!")));
        }
        assertThat(lines()).hasSize(50);

        broker.clock.advanceSeconds(10);
        broker.newClient().channel.pipeline().fireExceptionCaught(new DecoderException(new SSLException("x")));

        assertThat(lines()).hasSize(51).last().extracting(ILoggingEvent::getFormattedMessage)
                .asString().contains("suppressed=5");
    }

    @Test
    void tailHandlerLogsPeerFaultsWithoutStackTrace() {
        var channel = new io.netty.channel.embedded.EmbeddedChannel(TailExceptionHandler.INSTANCE);

        channel.pipeline().fireExceptionCaught(new DecoderException(new SSLException("Tag mismatch!")));

        assertThat(channel.isOpen()).isFalse();
        assertThat(log.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getThrowableProxy()).isNull();
            assertThat(line.getFormattedMessage()).contains("SSLException: Tag mismatch!");
        });
    }

    private TestClient connected() {
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").build());
        return client;
    }

    /** What the protocol layer logged at WARN or above (other loggers' lines, if any, are not ours). */
    private List<ILoggingEvent> lines() {
        return log.list.stream()
                .filter(e -> e.getLoggerName().startsWith("portcullis.")
                        || e.getLoggerName().startsWith("io.portcullis"))
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
    }
}
