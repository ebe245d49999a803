package io.portcullis.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.internal.tcnative.SSL;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * On a successful handshake: stores the verified client chain, SNI name, protocol and cipher suite
 * as {@link TlsConnectionInfo} on the channel, removes itself and, on MQTTS, the handshake timeout, and
 * installs the MQTT handlers. On secure WebSockets it only records: the upgrade comes first, and
 * {@link WebSocketUpgradeHandler} removes the timeout and installs MQTT. Confined to the connection's
 * event loop.
 */
final class TlsEstablishedHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsEstablishedHandler.class);

    private final MqttPipelineInstaller installer;
    private final TlsContextHolder contexts;

    /**
     * @param installer what to install once TLS is up; {@code null} when a later stage installs MQTT
     * @param contexts  where full and resumed handshakes are counted
     */
    TlsEstablishedHandler(MqttPipelineInstaller installer, TlsContextHolder contexts) {
        this.installer = installer;
        this.contexts = contexts;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
            established(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    private void established(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        SSLEngine engine = pipeline.get(SslHandler.class).engine();
        SSLSession session = engine.getSession();
        String sniHostName = ctx.channel().attr(SniRecordingHandler.SNI_HOST_NAME).getAndSet(null);
        List<X509Certificate> chain;
        try {
            chain = x509(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            // ClientAuth.REQUIRE makes this unreachable; if an engine ever lets it through, refuse rather than
            // hand the MQTT layer a connection without the certificate it authenticates with.
            LOG.error("TLS handshake succeeded without a client certificate, closing: remote={}",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        TlsConnectionInfo info = new TlsConnectionInfo(chain, sniHostName, session.getProtocol(),
                session.getCipherSuite());
        ctx.channel().attr(TlsConnectionInfo.ATTRIBUTE).set(info);
        Long helloMillis = ctx.channel().attr(SniRecordingHandler.CLIENT_HELLO_MILLIS).getAndSet(null);
        contexts.handshakeCompleted(isResumed(engine, session, helloMillis));
        if (ctx.channel().attr(SniRecordingHandler.NO_RESUMPTION).getAndSet(null) != null) {
            // Session tickets are off: drop the session from the server cache so no session id resumes it.
            session.invalidate();
        }
        LOG.debug("TLS established: remote={} protocol={} cipher={} sni={} subject=\"{}\"",
                ctx.channel().remoteAddress(), info.protocol(), info.cipherSuite(), LogText.token(sniHostName),
                LogText.safe(info.clientCertificate().getSubjectX500Principal().getName()));

        pipeline.remove(this);
        if (installer != null) {
            pipeline.remove(TlsChannelInitializer.HANDSHAKE_TIMEOUT);
            installer.install(pipeline);
        }
    }

    /**
     * Whether the handshake resumed an earlier session. BoringSSL is asked directly. SunJSSE has no such
     * question, but a resumed session keeps the creation time (in milliseconds) of its full handshake, which
     * lies before this connection's ClientHello. The creation time cannot serve for BoringSSL: it has whole
     * seconds there, so nearly every full handshake would look resumed.
     */
    private static boolean isResumed(SSLEngine engine, SSLSession session, Long helloMillis) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            // The engine is freed only when the channel closes, after this event on the same event loop.
            synchronized (openSsl) {
                long ssl = openSsl.sslPointer();
                return ssl != 0 && SSL.isSessionReused(ssl);
            }
        }
        return helloMillis != null && session.getCreationTime() < helloMillis;
    }

    private static List<X509Certificate> x509(Certificate[] certificates) {
        List<X509Certificate> chain = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            chain.add((X509Certificate) certificate);
        }
        return chain;
    }
}
