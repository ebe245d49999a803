package io.portcullis.protocol;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of the pipeline: an exception no handler dealt with is logged once and the connection
 * closed, instead of Netty's "reached the tail" warning. What the peer caused is a rate-limited WARN
 * without a stack trace; only a broker bug is an ERROR with one. Stateless and shared; the rate limiter
 * is safe on any event loop.
 */
@ChannelHandler.Sharable
public final class TailExceptionHandler extends ChannelInboundHandlerAdapter {
    public static final TailExceptionHandler INSTANCE = new TailExceptionHandler();
    private static final Logger LOG = LoggerFactory.getLogger(TailExceptionHandler.class);
    private static final LogRateLimiter PEER_FAULTS = new LogRateLimiter(50, 10_000);

    private TailExceptionHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable thrown) {
        ConnectionFailure failure = ConnectionFailure.of(thrown);
        Object remote = ctx.channel().remoteAddress();
        if (failure.kind() == ConnectionFailure.Kind.INTERNAL) {
            LOG.error("Unhandled error, closing: remote={}", remote, thrown);
        } else if (!failure.isPeerFault()) {
            LOG.debug("Connection failed: remote={} cause={}", remote, LogText.safe(failure.describe()));
        } else {
            long suppressed = PEER_FAULTS.tryAcquire(System.currentTimeMillis());
            if (suppressed >= 0) {
                LOG.warn("Connection failed, closing: remote={} cause=\"{}\" suppressed={}", remote,
                        LogText.safe(failure.describe()), suppressed);
            } else {
                LOG.debug("Connection failed, closing: remote={} cause=\"{}\"", remote,
                        LogText.safe(failure.describe()));
            }
        }
        ctx.close();
    }
}
