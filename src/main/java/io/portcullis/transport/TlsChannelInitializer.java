package io.portcullis.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.portcullis.logging.LogRateLimiter;

/**
 * Builds each accepted connection's pipeline. Both listeners start the same way:
 * <pre>
 * handshakeTimeout → sni (becomes tls) → tlsFailure → tlsEstablished
 * </pre>
 * MQTTS then installs the MQTT handlers right after the handshake; secure WebSockets first add
 * {@code http → httpAggregator → webSocketSubprotocol → webSocket → webSocketUpgrade → webSocketFrames} and
 * install MQTT after
 * the upgrade. Runs on the connection's event loop; shared by all connections of one listener.
 */
final class TlsChannelInitializer extends ChannelInitializer<Channel> {

    static final String HANDSHAKE_TIMEOUT = "handshakeTimeout";

    /** Largest HTTP upgrade request accepted; it has headers only. */
    private static final int MAX_UPGRADE_REQUEST = 16 * 1024;

    private final ListenerSettings settings;
    private final WebSocketSettings webSocket;
    private final TlsContextHolder contexts;
    private final MqttPipelineInstaller installer;
    private final LogRateLimiter failureLog;
    private final ChannelGroup connections;

    /** @param webSocket {@code null} for an MQTTS listener */
    TlsChannelInitializer(ListenerSettings settings, WebSocketSettings webSocket, TlsContextHolder contexts,
                          MqttPipelineInstaller installer, LogRateLimiter failureLog, ChannelGroup connections) {
        this.settings = settings;
        this.webSocket = webSocket;
        this.contexts = contexts;
        // The connection is ready for MQTT: its handshake slot (if accept limits are on) is given back first.
        this.installer = pipeline -> {
            AcceptLimitHandler.release(pipeline);
            installer.install(pipeline);
        };
        this.failureLog = failureLog;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        // First, so that its clock starts at TCP accept and covers a client that never sends a ClientHello;
        // it stays until the connection is ready for MQTT (after the WebSocket upgrade on WSS).
        pipeline.addLast(HANDSHAKE_TIMEOUT, new HandshakeTimeoutHandler(settings.handshakeTimeout()));
        // Reads SNI from the ClientHello, then becomes the SslHandler ("tls") of the context current now.
        pipeline.addLast("sni", new SniRecordingHandler(contexts));
        // Right behind TLS to see its handshake failures first and log each once.
        pipeline.addLast("tlsFailure", new TlsFailureHandler(failureLog));
        if (webSocket == null) {
            // Records the verified chain, then installs MQTT straight on the decrypted byte stream.
            pipeline.addLast("tlsEstablished", new TlsEstablishedHandler(installer, contexts));
            return;
        }
        // Records the verified chain; MQTT waits for the WebSocket upgrade.
        pipeline.addLast("tlsEstablished", new TlsEstablishedHandler(null, contexts));
        // HTTP/1.1 for the upgrade request; the WebSocket handshake replaces it with frame codecs.
        pipeline.addLast("http", new HttpServerCodec());
        // The upgrade handler wants a whole request.
        pipeline.addLast("httpAggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
        // Netty would upgrade a request that offers no MQTT subprotocol; this answers it 400 first [MQTT-6.0.0-3].
        pipeline.addLast("webSocketSubprotocol", new WebSocketSubprotocolHandler(webSocket.path()));
        // Upgrades the configured path only, selecting an MQTT subprotocol ([MQTT-6.0.0-4]); answers
        // ping and close frames.
        pipeline.addLast("webSocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(webSocket.path())
                .subprotocols(String.join(",", WebSocketSubprotocolHandler.SUBPROTOCOLS))
                .maxFramePayloadLength(webSocket.maxFramePayload())
                .checkStartsWith(false)
                .allowExtensions(false)
                .handshakeTimeoutMillis(settings.handshakeTimeout().toMillis())
                .build()));
        // 404 for other paths; installs MQTT once the upgrade is done.
        pipeline.addLast("webSocketUpgrade", new WebSocketUpgradeHandler(installer));
        // Binary frames in, byte stream out, and back, so the MQTT codec is the same as on MQTTS.
        pipeline.addLast("webSocketFrames", new WebSocketFrameCodec());
    }
}
