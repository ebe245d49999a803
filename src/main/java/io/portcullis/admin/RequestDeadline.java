package io.portcullis.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Closes an admin API connection whose request does not arrive whole within the request timeout, counted
 * from its first byte: a client that trickles a request line or headers byte by byte keeps the idle timer
 * from firing, but not this one. It needs two places in the pipeline, so it is two handlers sharing one
 * deadline: {@link #firstBytes()} before the HTTP codec arms it on the first bytes of a request, and
 * {@link #wholeRequest()} after the codec disarms it when the request's last part is decoded. Bytes of a
 * pipelined request that come in the same read as the end of the previous one arm it at the next read; until
 * then the idle timeout applies. Confined to the connection's event loop.
 */
final class RequestDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);

    private final Duration timeout;
    private ScheduledFuture<?> deadline;

    RequestDeadline(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The handler before the HTTP codec: the first bytes of a request start its clock. */
    ChannelInboundHandlerAdapter firstBytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
                if (deadline == null && message instanceof ByteBuf bytes && bytes.isReadable()) {
                    deadline = ctx.executor().schedule(() -> expire(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                super.channelRead(ctx, message);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                disarm();
                super.channelInactive(ctx);
            }
        };
    }

    /** The handler after the HTTP codec: a request decoded to its end stops the clock. */
    ChannelInboundHandlerAdapter wholeRequest() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
                if (message instanceof LastHttpContent) {
                    disarm();
                }
                super.channelRead(ctx, message);
            }
        };
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        LOG.debug("Admin API request not received within {} ms, closing: remote={}", timeout.toMillis(),
                ctx.channel().remoteAddress());
        ctx.close();
    }
}
