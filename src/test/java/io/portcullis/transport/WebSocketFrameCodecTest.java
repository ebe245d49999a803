package io.portcullis.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketFrameCodecTest {

    @Test
    void binaryAndContinuationPayloadsPassThroughAsBytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameCodec());

        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {0x30, 0x02})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {'a', 'b'})));

        assertThat(bytes(channel.readInbound())).containsExactly(0x30, 0x02);
        assertThat(bytes(channel.readInbound())).containsExactly('a', 'b');
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void outgoingBytesBecomeOneBinaryFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameCodec());

        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {0x20, 0x02, 0x00, 0x00}));

        BinaryWebSocketFrame frame = channel.readOutbound();
        assertThat(frame.isFinalFragment()).isTrue();
        assertThat(bytes(frame.content())).containsExactly(0x20, 0x02, 0x00, 0x00);
        channel.finishAndReleaseAll();
    }

    @Test
    void textFrameIsAnsweredWithCloseAndClosesTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketFrameCodec());

        channel.writeInbound(new TextWebSocketFrame("CONNECT"));

        assertThat(channel.inboundMessages()).isEmpty();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1003);
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        return bytes;
    }
}
