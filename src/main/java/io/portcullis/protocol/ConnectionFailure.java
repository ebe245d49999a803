package io.portcullis.protocol;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.ssl.NotSslRecordException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.Objects;

/**
 * An exception that reached the end of a connection's pipeline, sorted by who caused it: the network,
 * the peer (bytes that break TLS, WebSocket framing or a decoder), or the broker itself. The protocol
 * handler and {@link TailExceptionHandler} decide log level and answer from {@link #kind()}. A pure
 * value; any thread.
 *
 * @param kind  who caused it
 * @param cause the exception that says what happened, with Netty's {@link DecoderException} wrapper removed
 */
record ConnectionFailure(Kind kind, Throwable cause) {

    /** Longest cause message put in a log line; a peer can influence some of them. */
    private static final int MAXIMUM_MESSAGE = 200;

    enum Kind {
        /** The connection went away (reset, broken pipe): routine, logged at DEBUG. */
        NETWORK,
        /**
         * TLS or WebSocket framing broke (a renegotiation attempt, a corrupted record, a frame over the
         * limit). That layer can no longer carry an MQTT packet, so the connection is closed without one.
         */
        TRANSPORT,
        /** The byte stream could not be decoded: MQTT 5 gets 0x81 Malformed Packet where it can be sent. */
        MALFORMED,
        /** Anything else is a broker bug: ERROR with the stack trace. */
        INTERNAL
    }

    ConnectionFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cause, "cause");
    }

    static ConnectionFailure of(Throwable thrown) {
        Throwable cause = unwrap(thrown);
        if (cause instanceof SSLException || cause instanceof CorruptedWebSocketFrameException) {
            return new ConnectionFailure(Kind.TRANSPORT, cause);
        }
        if (cause instanceof IOException) {
            return new ConnectionFailure(Kind.NETWORK, cause);
        }
        // Left here only when no decoder wrapped a cause of its own: CorruptedFrameException,
        // TooLongFrameException, or a decoder's own complaint. A wrapped RuntimeException is our bug.
        if (cause instanceof DecoderException) {
            return new ConnectionFailure(Kind.MALFORMED, cause);
        }
        return new ConnectionFailure(Kind.INTERNAL, cause);
    }

    /** Whether the peer, not the network or the broker, caused it: worth a rate-limited WARN. */
    boolean isPeerFault() {
        return kind == Kind.TRANSPORT || kind == Kind.MALFORMED;
    }

    /** The cause's class and message on one line, e.g. {@code SSLException: Tag mismatch!}. */
    String describe() {
        String text = cause.getClass().getSimpleName();
        // NotSslRecordException's message is a hex dump of the peer's bytes.
        String message = cause instanceof NotSslRecordException ? null : cause.getMessage();
        if (message == null || message.isBlank()) {
            return text;
        }
        message = message.replaceAll("\\s+", " ").strip();
        if (message.length() > MAXIMUM_MESSAGE) {
            message = message.substring(0, MAXIMUM_MESSAGE) + "...";
        }
        return text + ": " + message;
    }

    /**
     * Netty's decoders wrap whatever their decode method threw in a plain {@link DecoderException}; the
     * wrapped exception is what tells peer from bug. Subclasses (CorruptedFrameException and others) are
     * kept: they are the decoder's own verdict.
     */
    private static Throwable unwrap(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getClass() == DecoderException.class && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
