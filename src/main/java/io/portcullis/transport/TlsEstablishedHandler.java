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
 * as {@link TlsConnectionInfo} on the channel, removes the handshake timeout, and hands the pipeline
 * to the next stage (the MQTT installer on MQTTS, nothing on WebSockets where the upgrade comes
 * first). Then removes itself. Confined to the connection's event loop.
 */
final class TlsEstablishedHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsEstablishedHandler.class);

    private final String timeoutHandlerName;
    private final MqttPipelineInstaller next;

    /**
     * @param timeoutHandlerName the handshake timeout to remove on success
     * @param next               what to install once TLS is up; a no-op when a later stage installs MQTT
     */
    TlsEstablishedHandler(String timeoutHandlerName, MqttPipelineInstaller next) {
        this.timeoutHandlerName = timeoutHandlerName;
        this.next = next;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
            established(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    private void established(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException {
        ChannelPipeline pipeline = ctx.pipeline();
        SSLSession session = pipeline.get(SslHandler.class).engine().getSession();
        String sniHostName = ctx.channel().attr(SniRecordingHandler.SNI_HOST_NAME).getAndSet(null);
        // With ClientAuth.REQUIRE a session without a verified peer cannot get here; getPeerCertificates throws
        // rather than return an empty chain, and that exception closes the connection.
        TlsConnectionInfo info = new TlsConnectionInfo(x509(session.getPeerCertificates()), sniHostName,
                session.getProtocol(), session.getCipherSuite());
        ctx.channel().attr(TlsConnectionInfo.ATTRIBUTE).set(info);
        LOG.debug("TLS established: remote={} protocol={} cipher={} sni={} subject={}",
                ctx.channel().remoteAddress(), info.protocol(), info.cipherSuite(), sniHostName,
                info.clientCertificate().getSubjectX500Principal().getName());

        if (pipeline.get(timeoutHandlerName) != null) {
            pipeline.remove(timeoutHandlerName);
        }
        pipeline.remove(this);
        next.install(pipeline);
    }

    private static List<X509Certificate> x509(Certificate[] certificates) {
        List<X509Certificate> chain = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            chain.add((X509Certificate) certificate);
        }
        return chain;
    }
}
