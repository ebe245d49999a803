package io.portcullis.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test stand-in for the MQTT handlers: echoes every byte and remembers each connection's TLS facts. */
final class EchoInstaller implements MqttPipelineInstaller {

    final List<TlsConnectionInfo> installed = new CopyOnWriteArrayList<>();
    final List<String> pipelineNames = new CopyOnWriteArrayList<>();

    @Override
    public void install(ChannelPipeline pipeline) {
        installed.add(pipeline.channel().attr(TlsConnectionInfo.ATTRIBUTE).get());
        pipeline.addLast("echo", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush((ByteBuf) msg);
            }
        });
        pipelineNames.clear();
        pipelineNames.addAll(pipeline.names());
    }
}
