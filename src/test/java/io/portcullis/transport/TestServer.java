package io.portcullis.transport;

import io.portcullis.registry.Registry;

import java.time.Duration;

/** One listener on 127.0.0.1:0 with the test PKI, a fake verifier and the echo installer. */
final class TestServer implements AutoCloseable {

    final TransportEventLoops loops = new TransportEventLoops(2);
    final AnchorVerifier verifier = new AnchorVerifier(TestPki.ROOT.certificate());
    final EchoInstaller installer = new EchoInstaller();
    final TlsContextHolder contexts;
    final TransportListener listener;

    private TestServer(TlsEngine engine, Duration handshakeTimeout, WebSocketSettings webSocket) throws Exception {
        contexts = new TlsContextHolder(TlsContextFactory.create(TestPki.serverCredentials(), verifier,
                () -> Registry.EMPTY, engine));
        ListenerSettings settings = new ListenerSettings("test", "127.0.0.1", 0, handshakeTimeout);
        listener = webSocket == null
                ? TransportListener.mqtts(settings, contexts, installer, loops)
                : TransportListener.webSocket(settings, webSocket, contexts, installer, loops);
        listener.start();
    }

    static TestServer mqtts(TlsEngine engine) throws Exception {
        return new TestServer(engine, ListenerSettings.DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    static TestServer mqtts(TlsEngine engine, Duration handshakeTimeout) throws Exception {
        return new TestServer(engine, handshakeTimeout, null);
    }

    static TestServer webSocket(TlsEngine engine) throws Exception {
        return new TestServer(engine, ListenerSettings.DEFAULT_HANDSHAKE_TIMEOUT, WebSocketSettings.DEFAULTS);
    }

    static TestServer webSocket(TlsEngine engine, Duration handshakeTimeout) throws Exception {
        return new TestServer(engine, handshakeTimeout, WebSocketSettings.DEFAULTS);
    }

    int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.stop();
        loops.close();
    }
}
