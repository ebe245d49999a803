package io.portcullis.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops all listeners share: one acceptor thread and a pool of connection threads,
 * on native epoll where it loads, otherwise on NIO. Create once at start-up, {@link #close()} after
 * every listener has stopped. Thread-safe.
 */
public final class TransportEventLoops implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransportEventLoops.class);

    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    /** @param workerThreads connection threads; 0 lets Netty choose (twice the CPU count) */
    public TransportEventLoops(int workerThreads) {
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must be >= 0: " + workerThreads);
        }
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, factory);
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, factory);
        LOG.debug("Event loops created: transport={} workerThreads={}", transportName(), workerThreads);
    }

    /** {@code epoll} or {@code nio}. */
    public String transportName() {
        return epoll ? "epoll" : "nio";
    }

    EventLoopGroup acceptors() {
        return acceptors;
    }

    EventLoopGroup workers() {
        return workers;
    }

    /** One of the connection loops, in turn: the owner of a session restored at start-up until it reconnects. */
    public EventExecutor nextWorker() {
        return workers.next();
    }

    Class<? extends ServerSocketChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Shuts both groups down and waits up to five seconds for their threads to finish. */
    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        acceptors.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
