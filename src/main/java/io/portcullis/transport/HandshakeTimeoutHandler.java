package io.portcullis.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that is not ready for MQTT within the configured time after the TCP connection
 * opened: the TLS handshake on MQTTS, the TLS handshake and the WebSocket upgrade on secure WebSockets.
 * Half-open handshakes and silent sockets thus hold no resources. It sits in front of TLS and cannot see
 * the handshake events, so the handler that completes the last stage removes it, which cancels the
 * timer. Confined to the connection's event loop.
 */
final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeTimeoutHandler.class);

    private final Duration timeout;
    private ScheduledFuture<?> task;

    HandshakeTimeoutHandler(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            schedule(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        schedule(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void schedule(ChannelHandlerContext ctx) {
        if (task != null) {
            return;
        }
        task = ctx.executor().schedule(() -> expire(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        LOG.debug("Handshake timed out, closing: remote={} timeout={}", ctx.channel().remoteAddress(), timeout);
        // Closing from here skips the TLS handler, so nothing at all is written to the peer.
        ctx.close();
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
