package io.portcullis.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Watches for packets once the protocol handler {@link #start starts} it with the connection's keep
 * alive: when none arrives for one and a half times that, it fires {@link #TIMEOUT} for the protocol
 * handler to disconnect [MQTT-3.1.2-24 in 3.1.1, MQTT-3.1.2-22 in 5.0]. Sits before the protocol
 * handler so every decoded packet counts. Confined to the connection's event loop.
 */
public final class KeepAliveHandler extends ChannelInboundHandlerAdapter {
    /** The user event fired when the keep alive ran out. */
    public static final Object TIMEOUT = new Object() {
        @Override
        public String toString() {
            return "KeepAliveTimeout";
        }
    };

    private ChannelHandlerContext ctx;
    private long timeoutNanos;
    private long lastReadNanos;
    private ScheduledFuture<?> timer;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts watching; {@code keepAliveSeconds} 0 turns the check off [MQTT-3.1.2-10 in 5.0]. */
    public void start(int keepAliveSeconds) {
        if (keepAliveSeconds <= 0 || timer != null) {
            return;
        }
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveSeconds * 1500L);
        lastReadNanos = now();
        schedule(timeoutNanos);
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long idle = now() - lastReadNanos;
        if (idle >= timeoutNanos) {
            timer = null;
            ctx.fireUserEventTriggered(TIMEOUT);
        } else {
            schedule(timeoutNanos - idle);
        }
    }

    private long now() {
        // The executor's ticker, so tests that advance an EmbeddedChannel's clock move this one too.
        EventExecutor executor = ctx.executor();
        return executor instanceof AbstractScheduledEventExecutor scheduled
                ? scheduled.ticker().nanoTime()
                : System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer != null) {
            lastReadNanos = now();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
