package io.portcullis.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sits in front of the WebSocket protocol handler until the upgrade and refuses, with HTTP 400, an
 * upgrade request for the MQTT path that does not offer an MQTT subprotocol. The client must offer
 * {@code mqtt} [MQTT-6.0.0-3] and the server must select it [MQTT-6.0.0-4]; {@code mqttv3.1} is accepted
 * for older 3.1.1 clients. Netty's handshaker alone would upgrade such a request without any
 * subprotocol. Removes itself once it has let an offering request through. Confined to the
 * connection's event loop.
 */
final class WebSocketSubprotocolHandler extends ChannelInboundHandlerAdapter {

    /** The subprotocols the listener selects, in the server's order of preference. */
    static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");

    private final String path;

    WebSocketSubprotocolHandler(String path) {
        this.path = path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The same exact-path rule the WebSocket protocol handler applies (checkStartsWith off).
        if (!(msg instanceof FullHttpRequest request) || !path.equals(request.uri())) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (offersMqtt(request.headers())) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        WebSocketRefusalLog.refused(ctx.channel(), "status=400", "no MQTT subprotocol offered",
                "offered", String.join(",", request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)));
        ReferenceCountUtil.release(msg);
        ByteBuf body = Unpooled.copiedBuffer("MQTT over WebSocket needs Sec-WebSocket-Protocol: mqtt\n",
                StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.BAD_REQUEST, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Whether any {@code Sec-WebSocket-Protocol} header lists one of {@link #SUBPROTOCOLS}. */
    static boolean offersMqtt(HttpHeaders headers) {
        for (String value : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String token : value.split(",")) {
                // Subprotocol names are compared exactly (RFC 6455 section 4.1).
                if (SUBPROTOCOLS.contains(token.trim())) {
                    return true;
                }
            }
        }
        return false;
    }
}
