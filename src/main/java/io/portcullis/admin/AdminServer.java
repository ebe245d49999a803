package io.portcullis.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.config.AdminConfig;
import io.portcullis.logging.LogText;
import io.portcullis.registry.Registry;
import io.portcullis.transport.ListenerBindException;
import io.portcullis.transport.ServerCredentials;
import io.portcullis.transport.ServerTlsContext;
import io.portcullis.transport.SessionTickets;
import io.portcullis.transport.TlsContextFactory;
import io.portcullis.transport.TlsEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The admin API listener: HTTPS on {@code admin.bindAddress:admin.port} with the broker's own server
 * certificates and a client certificate required and decided only by {@link AdminTrustManager} (admin CAs
 * and admin thumbprints; device trust is never consulted). Netty's HTTP/1.1 codec and aggregator decode
 * requests (bodies up to {@link #MAXIMUM_BODY_BYTES}, each whole within {@link #REQUEST_TIMEOUT} of its first
 * byte, a connection idle for {@link #IDLE_TIMEOUT} closed); {@link ApiDispatcher} answers them on a small
 * bounded worker pool, never on the event loop. The listener has its own single event loop, so admin
 * traffic never competes with MQTT connections.
 *
 * <p>TLS session resumption is off here, so every connection presents its certificate to the current admin
 * trust; {@link #updateTrust} also closes open connections the new trust no longer admits.
 *
 * <p>Threads: {@link #start} and {@link #close} from the broker's start-up and shutdown thread;
 * {@link #updateTrust} and {@link #replaceServerCredentials} from the reload thread; {@link #port} from any.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** Larger request bodies are answered 413. */
    public static final int MAXIMUM_BODY_BYTES = 1024 * 1024;
    /** Requests answered at once; more wait in the queue. */
    static final int WORKER_THREADS = 2;
    /** Requests waiting for a worker; beyond this the API answers 503 at once. */
    static final int WORKER_QUEUE = 64;
    /** A connection idle this long, between requests or inside one, is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A request must arrive whole (head and body) this long after its first byte, or the connection is closed. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AdminConfig config;
    private final AdminTrustManager trust;
    private final TlsEngine engine;
    private final Duration handshakeTimeout;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final AtomicReference<ServerTlsContext> tls = new AtomicReference<>();
    private final ApiDispatcher dispatcher;
    private final ThreadPoolExecutor workers;
    private final AdminRefusalLog refusals = new AdminRefusalLog();
    private final EventLoopGroup loop;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;

    private AdminServer(AdminConfig config, ServerCredentials credentials, TlsEngine engine,
                        Duration handshakeTimeout, Duration requestTimeout, Duration idleTimeout,
                        Map<String, ApiHandler> handlers, Supplier<Registry> devices, Clock clock)
            throws SSLException {
        this.config = Objects.requireNonNull(config, "config");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.trust = new AdminTrustManager(config, devices, clock);
        this.tls.set(buildContext(credentials));
        this.dispatcher = new ApiDispatcher(handlers);
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "portcullis-admin-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    /**
     * Binds the listener and starts answering.
     *
     * @param credentials      the broker's server certificates and keys
     * @param handshakeTimeout how long a connection may take to finish its TLS handshake
     * @param handlers         by collection name, and {@code /openapi.json} and {@code /metrics}
     * @param devices          the current registry snapshot: its CAs and clients never open the admin API
     * @throws ListenerBindException when the address and port cannot be bound; nothing is left running
     * @throws SSLException          when the server material cannot be used
     */
    public static AdminServer start(AdminConfig config, ServerCredentials credentials, TlsEngine engine,
                                    Duration handshakeTimeout, Map<String, ApiHandler> handlers,
                                    Supplier<Registry> devices, Clock clock)
            throws InterruptedException, ListenerBindException, SSLException {
        AdminServer server = new AdminServer(config, credentials, engine, handshakeTimeout, REQUEST_TIMEOUT,
                IDLE_TIMEOUT, handlers, devices, clock);
        return bound(server);
    }

    /** As the public {@code start}, with other timeouts and no registered devices. */
    static AdminServer start(AdminConfig config, ServerCredentials credentials, TlsEngine engine,
                             Duration handshakeTimeout, Duration requestTimeout, Duration idleTimeout,
                             Map<String, ApiHandler> handlers, Clock clock)
            throws InterruptedException, ListenerBindException, SSLException {
        return bound(new AdminServer(config, credentials, engine, handshakeTimeout, requestTimeout, idleTimeout,
                handlers, () -> Registry.EMPTY, clock));
    }

    private static AdminServer bound(AdminServer server) throws InterruptedException, ListenerBindException {
        try {
            server.bind();
        } catch (InterruptedException | ListenerBindException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private ServerTlsContext buildContext(ServerCredentials credentials) throws SSLException {
        return TlsContextFactory.createWithTrustManager(credentials, trust, engine, SessionTickets.DISABLED);
    }

    private void bind() throws InterruptedException, ListenerBindException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        install(channel);
                    }
                });
        var bind = bootstrap.bind(config.bindAddress(), config.port()).await();
        if (!bind.isSuccess()) {
            throw new ListenerBindException("admin", config.bindAddress(), config.port(), bind.cause());
        }
        serverChannel = bind.channel();
        ServerTlsContext context = tls.get();
        LOG.info("Admin API listening: bind={} port={} tls={} engine={} clientAuth=required adminCaCertificates={}"
                        + " adminThumbprints={}", config.bindAddress(), port(), String.join(",", context.protocols()),
                context.engine(), config.caCertificates().size(), config.thumbprints().size());
    }

    private void install(SocketChannel channel) {
        SslHandler ssl = tls.get().sslContext().newHandler(channel.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        // TLS first: nothing of the API is reachable before the admin trust has accepted the certificate.
        channel.pipeline().addLast("tls", ssl);
        // Closes connections that stay silent, so idle keep-alive sockets hold nothing for long.
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        // A request trickled in byte by byte resets the idle timer; its own clock starts at its first byte.
        RequestDeadline deadline = new RequestDeadline(requestTimeout);
        channel.pipeline().addLast("requestStart", deadline.firstBytes());
        // Netty's HTTP/1.1 parser and writer; no hand-written parsing.
        channel.pipeline().addLast("http", new HttpServerCodec());
        // The request's last part decoded: its clock stops.
        channel.pipeline().addLast("requestEnd", deadline.wholeRequest());
        // Whole requests for the handler; a body over the limit is answered 413 in JSON and the connection closed.
        channel.pipeline().addLast("aggregator", new AdminHttpHandler.BodyLimit(MAXIMUM_BODY_BYTES));
        // One request at a time per connection, answered on the worker pool; logs a failed handshake, once.
        channel.pipeline().addLast("api", new AdminHttpHandler(dispatcher, workers, refusals));
    }

    /** The bound port; only valid after start. */
    public int port() {
        Channel channel = serverChannel;
        if (channel == null) {
            throw new IllegalStateException("The admin API is not listening");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Makes later handshakes trust the admin CAs and thumbprints of {@code next} (a configuration reload),
     * and closes open connections whose certificate the new trust no longer admits, so a removed admin is
     * locked out at once rather than when its keep-alive connection ends. The listener's address and port
     * are not changed here.
     */
    public void updateTrust(AdminConfig next) {
        trust.update(next);
        int closed = 0;
        for (Channel connection : connections) {
            SslHandler ssl = connection.pipeline().get(SslHandler.class);
            if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
                continue;
            }
            X509Certificate[] chain;
            try {
                chain = Arrays.stream(ssl.engine().getSession().getPeerCertificates())
                        .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            } catch (SSLPeerUnverifiedException e) {
                chain = new X509Certificate[0];
            }
            if (chain.length == 0 || !trust.admits(chain)) {
                LOG.info("Admin API connection closed, its certificate is no longer trusted: remote={} subject=\"{}\"",
                        connection.remoteAddress(), chain.length == 0 ? "" : LogText.safe(
                                chain[0].getSubjectX500Principal().getName(X500Principal.RFC2253)));
                connection.close();
                closed++;
            }
        }
        LOG.info("Admin API trust applied: adminCaCertificates={} adminThumbprints={} connectionsClosed={}",
                next.caCertificates().size(), next.thumbprints().size(), closed);
    }

    /** Serves new server certificates to new connections (the broker's server material was rotated). */
    public void replaceServerCredentials(ServerCredentials credentials) throws SSLException {
        tls.set(buildContext(credentials));
        LOG.info("Admin API server certificates replaced for new connections");
    }

    /** Stops accepting, closes open connections and the worker pool. Idempotent. */
    @Override
    public void close() {
        Channel channel = serverChannel;
        serverChannel = null;
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownNow();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (channel != null) {
            LOG.info("Admin API stopped");
        }
    }
}
