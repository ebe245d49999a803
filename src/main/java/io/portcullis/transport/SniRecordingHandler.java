package io.portcullis.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server name from the ClientHello, records it on the channel, and replaces itself with an
 * {@link SslHandler} (named {@code tls}) made from the TLS context current at that moment, which is how
 * a reload reaches new connections only. A ClientHello without SNI is fine. Confined to the
 * connection's event loop.
 */
final class SniRecordingHandler extends SniHandler {

    /** The SNI host name until the handshake completes and {@link TlsConnectionInfo} takes over. */
    static final AttributeKey<String> SNI_HOST_NAME = AttributeKey.valueOf("portcullis.sni");

    static final String TLS_HANDLER_NAME = "tls";

    /** When the ClientHello arrived (epoch millis); a session created before it was resumed. */
    static final AttributeKey<Long> CLIENT_HELLO_MILLIS = AttributeKey.valueOf("portcullis.clientHelloMillis");

    /** Set when the context chosen for this connection resumes no sessions; read once TLS is established. */
    static final AttributeKey<Boolean> NO_RESUMPTION = AttributeKey.valueOf("portcullis.noResumption");

    private static final Logger LOG = LoggerFactory.getLogger(SniRecordingHandler.class);

    private final TlsContextHolder contexts;

    SniRecordingHandler(TlsContextHolder contexts) {
        super(currentContext(contexts));
        this.contexts = contexts;
    }

    private static Mapping<String, SslContext> currentContext(TlsContextHolder contexts) {
        return hostName -> contexts.current().sslContext();
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostName) {
        // Read the holder once, so the context and its resumption setting come from the same reload.
        ServerTlsContext current = contexts.current();
        ctx.channel().attr(CLIENT_HELLO_MILLIS).set(System.currentTimeMillis());
        if (!current.resumption()) {
            ctx.channel().attr(NO_RESUMPTION).set(Boolean.TRUE);
        }
        return ctx.executor().newSucceededFuture(current.sslContext());
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostName, SslContext sslContext) {
        LOG.debug("TLS ClientHello: remote={} sni={}", ctx.channel().remoteAddress(), LogText.token(hostName));
        if (hostName != null) {
            ctx.channel().attr(SNI_HOST_NAME).set(hostName);
        }
        SslHandler tls = newSslHandler(sslContext, ctx.alloc());
        try {
            // HandshakeTimeoutHandler covers the whole handshake, including the time before this point.
            tls.setHandshakeTimeoutMillis(0);
            ctx.pipeline().replace(this, TLS_HANDLER_NAME, tls);
            tls = null;
        } finally {
            if (tls != null) {
                ReferenceCountUtil.safeRelease(tls.engine());
            }
        }
    }
}
