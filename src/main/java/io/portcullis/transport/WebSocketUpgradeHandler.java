package io.portcullis.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits after the WebSocket protocol handler until the upgrade: answers any HTTP request for another
 * path with 404 and closes, and once the upgrade completes removes the handshake timeout and itself and
 * installs the MQTT handlers. Confined to the connection's event loop.
 */
final class WebSocketUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgradeHandler.class);

    private final MqttPipelineInstaller installer;

    WebSocketUpgradeHandler(MqttPipelineInstaller installer) {
        this.installer = installer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        WebSocketRefusalLog.refused(ctx.channel(), "status=404", "not the MQTT path", "uri", request.uri());
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete complete) {
            LOG.debug("WebSocket upgraded: remote={} subprotocol={}", ctx.channel().remoteAddress(),
                    LogText.token(complete.selectedSubprotocol()));
            ctx.pipeline().remove(TlsChannelInitializer.HANDSHAKE_TIMEOUT);
            ctx.pipeline().remove(this);
            installer.install(ctx.pipeline());
        }
        ctx.fireUserEventTriggered(event);
    }
}
