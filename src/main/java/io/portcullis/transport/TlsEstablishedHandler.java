package io.portcullis.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        SSLSession session = pipeline.get(SslHandler.class).engine().getSession();
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
        // Neither engine says whether it resumed; a resumed session keeps the creation time of its full
        // handshake, which lies before this connection's ClientHello.
        Long helloMillis = ctx.channel().attr(SniRecordingHandler.CLIENT_HELLO_MILLIS).getAndSet(null);
        contexts.handshakeCompleted(helloMillis != null && session.getCreationTime() < helloMillis);
        if (ctx.channel().attr(SniRecordingHandler.NO_RESUMPTION).getAndSet(null) != null) {
            // Session tickets are off: drop the session from the server cache so no session id resumes it.
            session.invalidate();
        }
        LOG.debug("TLS established: remote={} protocol={} cipher={} sni={} subject={}",
                ctx.channel().remoteAddress(), info.protocol(), info.cipherSuite(), sniHostName,
                info.clientCertificate().getSubjectX500Principal().getName());

        pipeline.remove(this);
        if (installer != null) {
            pipeline.remove(TlsChannelInitializer.HANDSHAKE_TIMEOUT);
            installer.install(pipeline);
        }
    }

    private static List<X509Certificate> x509(Certificate[] certificates) {
        List<X509Certificate> chain = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            chain.add((X509Certificate) certificate);
        }
        return chain;
    }
}
