package io.portcullis.transport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** MQTT over secure WebSockets over real TLS on loopback, with the JDK WebSocket client, on each engine. */
@ParameterizedClass(name = "engine={0}")
@MethodSource("io.portcullis.transport.Engines#available")
class WebSocketListenerIT {

    @Parameter
    TlsEngine engine;

    private TestServer server;
    private HttpClient http;
    private final Logger connections = (Logger) LoggerFactory.getLogger("portcullis.connections");
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        log.start();
        connections.addAppender(log);
        server = TestServer.webSocket(engine);
        http = HttpClient.newBuilder()
                .sslContext(TestPki.clientContext(TestPki.CLIENT))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
        connections.detachAppender(log);
    }

    /** Waits for the refusal line of the WSS listener that starts with {@code start}. */
    private String awaitRefusalLine(String start) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> {
            List<String> lines;
            synchronized (log.list) {
                lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            return lines.stream().filter(line -> line.startsWith(start)).findFirst().orElse(null);
        }, line -> line != null);
    }

    @Test
    void upgradesWithTheMqttSubprotocolAndEchoesBytes() throws Exception {
        Collector collector = new Collector();
        WebSocket socket = open(collector, "mqtt");

        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);

        assertThat(socket.getSubprotocol()).isEqualTo("mqtt");
        assertThat(collector.awaitBytes(3)).containsExactly(1, 2, 3);
        TlsConnectionInfo info = server.installer.installed.get(0);
        assertThat(info.peerChain()).containsExactly(TestPki.CLIENT.certificate(), TestPki.INTERMEDIATE.certificate());
        assertThat(server.installer.pipelineNames).contains("webSocketFrames", "echo")
                .doesNotContain("http", "httpAggregator", "webSocketUpgrade", "tlsEstablished");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void selectsTheMqttV31SubprotocolWhenOnlyThatIsOffered() throws Exception {
        WebSocket socket = open(new Collector(), "mqttv3.1");

        assertThat(socket.getSubprotocol()).isEqualTo("mqttv3.1");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void selectsMqttWhenTheClientAlsoOffersOthers() throws Exception {
        WebSocket socket = http.newWebSocketBuilder()
                .subprotocols("foo", "mqtt")
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri("wss", "/mqtt"), new Collector())
                .get(5, TimeUnit.SECONDS);

        assertThat(socket.getSubprotocol()).isEqualTo("mqtt");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void upgradeWithoutSubprotocolIsRefusedWith400() {
        assertRefusedWith400(http.newWebSocketBuilder());

        assertThat(awaitRefusalLine("WebSocket request refused: status=400"))
                .contains("reason=\"no MQTT subprotocol offered\" offered=\"\" remote=");
    }

    @Test
    void upgradeOfferingOnlyAnotherSubprotocolIsRefusedWith400() {
        assertRefusedWith400(http.newWebSocketBuilder().subprotocols("foo"));

        assertThat(awaitRefusalLine("WebSocket request refused: status=400"))
                .contains("offered=\"foo\" remote=/127.0.0.1:");
    }

    private void assertRefusedWith400(WebSocket.Builder builder) {
        CompletableFuture<WebSocket> upgrade = builder.connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri("wss", "/mqtt"), new Collector());

        assertThatThrownBy(() -> upgrade.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(400));
        assertThat(server.installer.installed).isEmpty();
    }

    @Test
    void payloadSplitAcrossFramesArrivesAsOneByteStream() throws Exception {
        Collector collector = new Collector();
        WebSocket socket = open(collector, "mqtt");

        // One message in two frames (binary + continuation), then a second message in its own frame.
        socket.sendBinary(ByteBuffer.wrap(new byte[] {0x30, 0x05, 0x00}), false).get(5, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.wrap(new byte[] {0x01, 't'}), true).get(5, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.wrap(new byte[] {'x', 'y'}), true).get(5, TimeUnit.SECONDS);

        assertThat(collector.awaitBytes(7)).containsExactly(0x30, 0x05, 0x00, 0x01, 't', 'x', 'y');
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void textFrameClosesTheConnection() throws Exception {
        Collector collector = new Collector();
        WebSocket socket = open(collector, "mqtt");

        socket.sendText("CONNECT", true).get(5, TimeUnit.SECONDS);

        assertThat(collector.closeStatus.get(5, TimeUnit.SECONDS)).isEqualTo(1003);
        assertThat(awaitRefusalLine("WebSocket request refused: close=1003"))
                .contains("reason=\"text frame, MQTT needs binary frames\" frame=\"text\" remote=/127.0.0.1:");
    }

    @Test
    void otherPathsGet404() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("https", "/other")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(server.installer.installed).isEmpty();
        assertThat(awaitRefusalLine("WebSocket request refused: status=404"))
                .contains("reason=\"not the MQTT path\" uri=\"/other\" remote=/127.0.0.1:");
    }

    @Test
    void connectionThatFinishesTlsButNeverUpgradesIsClosedAtTheHandshakeTimeout() throws Exception {
        server.close();
        server = TestServer.webSocket(engine, Duration.ofMillis(500));

        try (SSLSocket socket = (SSLSocket) TestPki.clientContext(TestPki.CLIENT).getSocketFactory()
                .createSocket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            long start = System.nanoTime();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        assertThat(server.installer.installed).isEmpty();
    }

    private WebSocket open(Collector collector, String subprotocol) throws Exception {
        return http.newWebSocketBuilder()
                .subprotocols(subprotocol)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri("wss", "/mqtt"), collector)
                .get(5, TimeUnit.SECONDS);
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://localhost:" + server.port() + path);
    }

    /** Gathers the bytes of every binary frame received, and the close status. */
    private static final class Collector implements WebSocket.Listener {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            synchronized (bytes) {
                while (data.hasRemaining()) {
                    bytes.write(data.get());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeStatus.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeStatus.completeExceptionally(error);
        }

        byte[] awaitBytes(int count) {
            await().atMost(Duration.ofSeconds(5)).until(() -> size() >= count);
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }

        private int size() {
            synchronized (bytes) {
                return bytes.size();
            }
        }
    }
}
