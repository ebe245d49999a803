package io.portcullis.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Sits in the listening channel's pipeline, in front of Netty's acceptor, and asks the shared
 * {@link AcceptLimiter} about each new connection before it is registered with an event loop or gets
 * any handler. A refused connection is closed at once with SO_LINGER 0: the kernel answers with a reset
 * and keeps no TIME_WAIT entry, so a storm does not fill the port table, and nothing else is allocated
 * for it. MQTT cannot be spoken before TLS, so there is no CONNACK 0x9F here. An accepted connection
 * carries a {@link HandshakeSlot} that is given back when MQTT is installed or the connection closes.
 * Runs on the acceptor thread; shared by the listeners of one limiter.
 */
@ChannelHandler.Sharable
final class AcceptLimitHandler extends ChannelInboundHandlerAdapter {

    static final AttributeKey<HandshakeSlot> HANDSHAKE_SLOT = AttributeKey.valueOf("portcullis.handshakeSlot");

    private static final Logger LOG = LoggerFactory.getLogger(AcceptLimitHandler.class);

    /** One refusal line per window; the rest are counted and summed up when the window ends. */
    private static final long REFUSAL_LOG_WINDOW_MILLIS = 5_000;

    /** The refusal log of one listening channel, which keeps to that channel's event loop. */
    private static final AttributeKey<AcceptRefusalLog> REFUSAL_LOG = AttributeKey.valueOf("portcullis.refusalLog");

    private final AcceptLimiter limiter;

    AcceptLimitHandler(AcceptLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().attr(REFUSAL_LOG).set(new AcceptRefusalLog(REFUSAL_LOG_WINDOW_MILLIS,
                System::currentTimeMillis,
                (task, delayMillis) -> ctx.executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        InetAddress source = child.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        AcceptLimiter.Limit limit = limiter.tryAccept(source);
        if (limit != null) {
            refuse(child, limit, ctx.channel().attr(REFUSAL_LOG).get());
            return;
        }
        HandshakeSlot slot = new HandshakeSlot(limiter, source);
        child.attr(HANDSHAKE_SLOT).set(slot);
        child.closeFuture().addListener(slot);
        ctx.fireChannelRead(child);
    }

    private void refuse(Channel child, AcceptLimiter.Limit limit, AcceptRefusalLog refusalLog) {
        refusalLog.refused(limit.settingName(), child.remoteAddress());
        try {
            child.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // The socket may already be reset by the peer; closing is all that matters.
            LOG.trace("SO_LINGER not set on a refused connection: cause={}", e.toString());
        }
        // Not registered with an event loop yet, so it is closed here directly, as Netty's acceptor does.
        child.unsafe().closeForcibly();
    }

    /** Gives the connection's handshake slot back, if it still holds one; on its event loop. */
    static void release(ChannelPipeline pipeline) {
        HandshakeSlot slot = pipeline.channel().attr(HANDSHAKE_SLOT).getAndSet(null);
        if (slot != null) {
            slot.release();
        }
    }

    /** One accepted connection's place among the handshakes in progress, its source's too; released once. */
    static final class HandshakeSlot implements ChannelFutureListener {
        private final AcceptLimiter limiter;
        private final InetAddress source;
        private boolean released;

        HandshakeSlot(AcceptLimiter limiter, InetAddress source) {
            this.limiter = limiter;
            this.source = source;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            release();
        }

        /** Both callers run on the connection's event loop once it is registered, so no atomics are needed. */
        void release() {
            if (!released) {
                released = true;
                limiter.handshakeEnded(source);
            }
        }
    }
}
