package io.portcullis.protocol;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Last handler of the pipeline: an exception no handler dealt with is logged once and the connection
 * closed, instead of Netty's "reached the tail" warning. Stateless and shared.
 */
@ChannelHandler.Sharable
public final class TailExceptionHandler extends ChannelInboundHandlerAdapter {
    public static final TailExceptionHandler INSTANCE = new TailExceptionHandler();
    private static final Logger LOG = LoggerFactory.getLogger(TailExceptionHandler.class);

    private TailExceptionHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Connection failed: remote={} cause={}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("Unhandled error, closing: remote={}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
