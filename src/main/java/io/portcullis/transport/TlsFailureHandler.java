package io.portcullis.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Logs a failed TLS handshake once, rate-limited, with the remote address and the cause, and makes
 * sure the connection closes. Bytes that are not TLS at all (plain MQTT, HTTP) are logged separately;
 * the TLS handler has already closed such a connection without writing a byte. Removes itself once the
 * handshake succeeds: later errors belong to the MQTT handlers. Confined to the connection's event
 * loop; the rate limiter is shared by the listener.
 */
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureHandler.class);

    /** What the JDK and BoringSSL engines say when a client answers the certificate request with nothing. */
    private static final List<String> NO_CLIENT_CERTIFICATE = List.of("Empty client certificate chain",
            "PEER_DID_NOT_RETURN_A_CERTIFICATE");
    private static final String NO_CLIENT_CERTIFICATE_TEXT = "the client sent no certificate. Fix: configure the"
            + " client with its certificate and key; this broker requires one";

    private final LogRateLimiter rateLimiter;
    private boolean failed;

    TlsFailureHandler(LogRateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                fail(ctx, completion.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The TLS handler reports a failed handshake twice: as an event and as the decoder's exception.
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (!failed) {
            failed = true;
            log(ctx, reason);
        }
        if (reason instanceof NotSslRecordException) {
            // Not TLS, so there is no alert to send: close from the head, past the TLS handler, writing nothing.
            ctx.pipeline().firstContext().close();
        } else {
            // Through the TLS handler, which still flushes the alert that tells the client why.
            ctx.close();
        }
    }

    private void log(ChannelHandlerContext ctx, Throwable cause) {
        long suppressed = rateLimiter.tryAcquire(System.currentTimeMillis());
        if (suppressed < 0) {
            LOG.debug("TLS handshake failed: remote={} cause=\"{}\"", ctx.channel().remoteAddress(), describe(cause));
            return;
        }
        if (cause instanceof NotSslRecordException) {
            LOG.warn("Connection is not TLS, closed without answer: remote={} suppressed={}",
                    ctx.channel().remoteAddress(), suppressed);
        } else {
            LOG.warn("TLS handshake failed: remote={} cause=\"{}\" suppressed={}", ctx.channel().remoteAddress(),
                    describe(cause), suppressed);
        }
    }

    /**
     * The cause chain's messages, escaped, since a verifier's message can quote certificate fields. A cause
     * whose message is the same as the one it is wrapped in adds nothing and is left out. A
     * NotSslRecordException message would hex-dump the client's bytes. The engines' terse words for a client
     * that sent no certificate are explained first, with the fix.
     */
    static String describe(Throwable cause) {
        String messages = messages(cause);
        boolean isNoCertificate = NO_CLIENT_CERTIFICATE.stream().anyMatch(messages::contains);
        return isNoCertificate ? NO_CLIENT_CERTIFICATE_TEXT + " (" + messages + ")" : messages;
    }

    private static String messages(Throwable cause) {
        return LogText.safe(HandshakeFailures.causeChain(cause));
    }
}
