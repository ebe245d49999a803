package io.portcullis.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.pki.DevPki;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT.js in Node, the client web and Node applications use, against the broker's MQTT over secure
 * WebSockets listener ({@code wss://localhost:<port>/mqtt}): a subscriber and a publisher, each with its
 * own client certificate, run by {@code src/test/js/wss-roundtrip.mjs}. Needs node on PATH and
 * {@code npm ci --prefix src/test/js} run once.
 */
class WebSocketMqttJsIT {
    private static final Path SCRIPT_DIRECTORY = Path.of("src", "test", "js").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static String node;

    @BeforeAll
    static void startBroker() throws Exception {
        node = ChildProcess.onPath("node", "install Node.js 18 or later");
        assertThat(SCRIPT_DIRECTORY.resolve("node_modules").resolve("mqtt"))
                .as("MQTT.js is not installed; run: npm ci --prefix src/test/js").isDirectory();
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "protocol version {0}")
    @ValueSource(ints = {5, 4})
    void deliversBetweenTwoCertificatesOverSecureWebSockets(int protocolVersion) throws Exception {
        DevPki.CertificateFiles subscriber = broker.clientFiles("client-2");
        DevPki.CertificateFiles publisher = broker.clientFiles("client-1");
        String topic = "js/wss/v" + protocolVersion;
        String url = "wss://localhost:" + broker.webSocketPort() + "/mqtt";
        List<String> command = List.of(node, SCRIPT_DIRECTORY.resolve("wss-roundtrip.mjs").toString(), url,
                broker.caFile().toString(), subscriber.certificate().toString(), subscriber.privateKey().toString(),
                publisher.certificate().toString(), publisher.privateKey().toString(), topic,
                Integer.toString(protocolVersion));

        try (ChildProcess script = ChildProcess.start(command, SCRIPT_DIRECTORY)) {
            Optional<String> result = script.awaitLine(line -> line.startsWith("{"), WAIT);
            assertThat(result).as(script.describe()).isPresent();
            assertThat(script.awaitExit(WAIT)).as(script.describe()).contains(0);

            JsonNode json = new ObjectMapper().readTree(result.get());
            assertThat(json.path("ok").asBoolean()).as(result.get()).isTrue();
            assertThat(json.path("version").asInt()).isEqualTo(protocolVersion);
            assertThat(json.path("topic").asText()).isEqualTo(topic);
            assertThat(json.path("payload").asText()).isEqualTo("hello over wss");
            assertThat(json.path("qos").asInt()).isEqualTo(1);
        }
    }
}
