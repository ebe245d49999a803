package io.portcullis.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portcullis.logging.LogRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One mutual-TLS listener: MQTTS ({@link #mqtts}) or MQTT over secure WebSockets ({@link #webSocket}).
 * Each accepted connection gets the pipeline {@link TlsChannelInitializer} describes, with the TLS
 * context current at accept time; with an {@link AcceptLimiter} a connection over a limit is closed before
 * that ({@link AcceptLimitHandler}). {@link #start()} and {@link #stop()} are called from the broker's
 * start-up and shutdown thread; {@link #port()} from any thread.
 */
public final class TransportListener {

    private static final Logger LOG = LoggerFactory.getLogger(TransportListener.class);

    /** Handshake-failure WARN lines per second per listener; the rest go to DEBUG. */
    private static final int FAILURE_LOGS_PER_SECOND = 10;

    private final ListenerSettings settings;
    private final WebSocketSettings webSocket;
    private final TlsContextHolder contexts;
    private final MqttPipelineInstaller installer;
    private final TransportEventLoops loops;
    private final AcceptLimiter acceptLimiter;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;

    private TransportListener(ListenerSettings settings, WebSocketSettings webSocket, TlsContextHolder contexts,
                              MqttPipelineInstaller installer, TransportEventLoops loops, AcceptLimiter acceptLimiter) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.webSocket = webSocket;
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.installer = Objects.requireNonNull(installer, "installer");
        this.loops = Objects.requireNonNull(loops, "loops");
        this.acceptLimiter = acceptLimiter;
    }

    /** An MQTT-over-TLS listener (default port 8883) without accept limits. */
    public static TransportListener mqtts(ListenerSettings settings, TlsContextHolder contexts,
                                          MqttPipelineInstaller installer, TransportEventLoops loops) {
        return new TransportListener(settings, null, contexts, installer, loops, null);
    }

    /** An MQTT-over-TLS listener whose new connections first pass {@code acceptLimiter}. */
    public static TransportListener mqtts(ListenerSettings settings, TlsContextHolder contexts,
                                          MqttPipelineInstaller installer, TransportEventLoops loops,
                                          AcceptLimiter acceptLimiter) {
        return new TransportListener(settings, null, contexts, installer, loops,
                Objects.requireNonNull(acceptLimiter, "acceptLimiter"));
    }

    /** An MQTT-over-secure-WebSockets listener (default port 443, path /mqtt) without accept limits. */
    public static TransportListener webSocket(ListenerSettings settings, WebSocketSettings webSocket,
                                              TlsContextHolder contexts, MqttPipelineInstaller installer,
                                              TransportEventLoops loops) {
        return new TransportListener(settings, Objects.requireNonNull(webSocket, "webSocket"), contexts,
                installer, loops, null);
    }

    /** A secure WebSocket listener whose new connections first pass {@code acceptLimiter}. */
    public static TransportListener webSocket(ListenerSettings settings, WebSocketSettings webSocket,
                                              TlsContextHolder contexts, MqttPipelineInstaller installer,
                                              TransportEventLoops loops, AcceptLimiter acceptLimiter) {
        return new TransportListener(settings, Objects.requireNonNull(webSocket, "webSocket"), contexts,
                installer, loops, Objects.requireNonNull(acceptLimiter, "acceptLimiter"));
    }

    /**
     * Binds and starts accepting.
     *
     * @return the bound address (with the actual port when the configured port was 0)
     * @throws InterruptedException  when interrupted while binding
     * @throws ListenerBindException when the address and port cannot be bound (for example in use)
     * @throws IllegalStateException when already started
     */
    public synchronized InetSocketAddress start() throws InterruptedException, ListenerBindException {
        if (serverChannel != null) {
            throw new IllegalStateException("Listener " + settings.name() + " already started");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(loops.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new TlsChannelInitializer(settings, webSocket, contexts, installer,
                        new LogRateLimiter(FAILURE_LOGS_PER_SECOND, 1000), connections));
        if (acceptLimiter != null) {
            // In the listening channel's pipeline, so a refused connection never reaches a worker loop.
            bootstrap.handler(new AcceptLimitHandler(acceptLimiter));
        }
        var bind = bootstrap.bind(settings.bindAddress(), settings.port()).await();
        if (!bind.isSuccess()) {
            throw new ListenerBindException(settings.name(), settings.bindAddress(), settings.port(), bind.cause());
        }
        serverChannel = bind.channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        ServerTlsContext tls = contexts.current();
        LOG.info("Listener started: name={} protocol={} bind={} port={} tls={} engine={} clientAuth=required "
                        + "transport={}{}", settings.name(), webSocket == null ? "mqtts" : "wss",
                settings.bindAddress(), address.getPort(), String.join(",", tls.protocols()), tls.engine(),
                loops.transportName(), webSocket == null ? "" : " path=" + webSocket.path());
        return address;
    }

    /** The bound port; only valid after {@link #start()}. */
    public int port() {
        Channel channel = serverChannel;
        if (channel == null) {
            throw new IllegalStateException("Listener " + settings.name() + " is not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, then closes the connections this listener accepted and waits up to five seconds
     * for them to close. The protocol layer sends its DISCONNECTs before calling this.
     */
    public synchronized void stop() {
        Channel channel = serverChannel;
        if (channel == null) {
            return;
        }
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        serverChannel = null;
        LOG.info("Listener stopped: name={}", settings.name());
    }
}
