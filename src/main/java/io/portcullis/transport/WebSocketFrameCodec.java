package io.portcullis.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;

/**
 * Turns WebSocket frames into the byte stream the MQTT decoder reads and back: the payload of each
 * binary or continuation frame is passed on as it is, so MQTT packets may be split across frames or
 * packed several to a frame; each outgoing buffer becomes one binary frame. A text frame closes the
 * connection, because MQTT over WebSocket is binary only ([MQTT-6.0.0-1]). Ping, pong and close frames
 * are answered before this handler. Confined to the connection's event loop.
 */
final class WebSocketFrameCodec extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
        out.add(new BinaryWebSocketFrame(bytes.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            out.add(frame.content().retain());
        } else if (frame instanceof TextWebSocketFrame) {
            WebSocketRefusalLog.refused(ctx.channel(), "close=1003", "text frame, MQTT needs binary frames",
                    "frame", "text");
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
