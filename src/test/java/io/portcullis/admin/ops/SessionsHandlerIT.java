package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.broker.Configurations;
import io.portcullis.testsupport.MqttTestClients;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.portcullis.admin.ops.OpsRequests.json;
import static io.portcullis.admin.ops.OpsRequests.queryOf;
import static io.portcullis.admin.ops.OpsRequests.refused;
import static io.portcullis.admin.ops.OpsRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sessions handler on a real broker with HiveMQ clients over mutual TLS: list with filter and paging, read
 * connected and offline sessions with every documented field, disconnect with reason 0x98 keeping the session,
 * and discard without the Will. One broker for the class; each test uses its own session names.
 */
class SessionsHandlerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static ApiHandler sessions;

    private MqttTestClients clients;

    @BeforeAll
    static void start() throws Exception {
        broker = RunningBroker.start(directory);
        sessions = OperationsHandlers.create(broker.broker().context(), broker.broker().metrics()).get("sessions");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @BeforeEach
    void clients() {
        clients = new MqttTestClients(broker);
    }

    @AfterEach
    void disconnect() {
        clients.close();
    }

    @Test
    void readsAConnectedMqtt5SessionWithItsSubscriptions() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Mqtt5BlockingClient client = clients.mqtt5("client-1", "read-v5").client();
        client.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        client.subscribeWith().addSubscription().topicFilter("plant/#").qos(MqttQos.AT_LEAST_ONCE).noLocal(true)
                .applySubscription().addSubscription().topicFilter("alarms/+").qos(MqttQos.AT_MOST_ONCE)
                .retainAsPublished(true).applySubscription().send();

        JsonNode session = json(sessions, request("GET", List.of("sessions", "read-v5"), null), 200);

        assertThat(names(session)).containsExactly("name", "authenticationName", "connected", "protocol",
                "transport", "remoteAddress", "connectedAt", "disconnectedAt", "sessionExpiryIntervalSeconds",
                "subscriptions", "queuedMessages", "inflightMessages");
        assertThat(session.path("name").asText()).isEqualTo("read-v5");
        assertThat(session.path("authenticationName").asText()).isEqualTo("client-1");
        assertThat(session.path("connected").asBoolean()).isTrue();
        assertThat(session.path("protocol").asText()).isEqualTo("MQTT 5.0");
        assertThat(session.path("transport").asText()).isEqualTo("mqtts");
        assertThat(session.path("remoteAddress").asText()).startsWith("127.0.0.1:");
        assertThat(Instant.parse(session.path("connectedAt").asText())).isBetween(before, Instant.now());
        assertThat(session.path("disconnectedAt").isNull()).isTrue();
        assertThat(session.path("sessionExpiryIntervalSeconds").asLong()).isEqualTo(600);
        assertThat(session.path("subscriptions")).hasSize(2);
        JsonNode alarms = session.path("subscriptions").get(0);
        assertThat(alarms.path("topicFilter").asText()).isEqualTo("alarms/+");
        assertThat(alarms.path("qos").asInt()).isZero();
        assertThat(alarms.path("retainAsPublished").asBoolean()).isTrue();
        JsonNode plant = session.path("subscriptions").get(1);
        assertThat(plant.path("topicFilter").asText()).isEqualTo("plant/#");
        assertThat(plant.path("qos").asInt()).isEqualTo(1);
        assertThat(plant.path("noLocal").asBoolean()).isTrue();
        assertThat(plant.path("retainHandling").asInt()).isZero();
        assertThat(session.path("queuedMessages").asInt()).isZero();
        assertThat(session.path("inflightMessages").asInt()).isZero();
    }

    @Test
    void readsAnMqtt311Session() throws Exception {
        clients.mqtt3("client-2", "read-v3").connectWith().cleanSession(true).send();

        JsonNode session = json(sessions, request("GET", List.of("sessions", "read-v3"), null), 200);

        assertThat(session.path("protocol").asText()).isEqualTo("MQTT 3.1.1");
        assertThat(session.path("authenticationName").asText()).isEqualTo("client-2");
    }

    @Test
    void readsTheTransportOfASessionOverSecureWebSockets() throws Exception {
        String path = Configurations.load(broker.configFile()).config().listeners().websocket().path();
        clients.mqtt5WebSocket("client-2", "read-wss", path).client().connectWith().cleanStart(true).send();

        JsonNode session = json(sessions, request("GET", List.of("sessions", "read-wss"), null), 200);

        assertThat(session.path("transport").asText()).isEqualTo("wss");
        assertThat(session.path("protocol").asText()).isEqualTo("MQTT 5.0");
        assertThat(session.path("remoteAddress").asText()).startsWith("127.0.0.1:");
    }

    @Test
    void listsSessionsFilteredByNameIgnoringCaseInPages() throws Exception {
        for (String id : List.of("page-B", "page-a", "page-c", "other-page-x")) {
            clients.mqtt5("client-3", id).client().connectWith().cleanStart(true).send();
        }

        List<String> seen = new ArrayList<>();
        String[] query = {"filter", "PAGE-", "top", "2"};
        int pages = 0;
        while (query != null) {
            JsonNode page = json(sessions, request("GET", List.of("sessions"), null, query), 200);
            page.path("value").forEach(item -> seen.add(item.path("name").asText()));
            pages++;
            String next = page.path("nextLink").asText(null);
            if (next != null) {
                assertThat(next).startsWith("/api/v1/sessions?filter=PAGE-&top=2&skipToken=");
            }
            query = next == null ? null : queryOf(next);
        }

        assertThat(seen).containsExactly("other-page-x", "page-B", "page-a", "page-c");
        assertThat(pages).isEqualTo(2);
        JsonNode all = json(sessions, request("GET", List.of("sessions"), null, "filter", "page-a"), 200);
        assertThat(all.path("value")).hasSize(1);
        assertThat(all.has("nextLink")).isFalse();
    }

    @Test
    void refusesBadPagingParametersAndUnknownSessions() {
        refused(sessions, request("GET", List.of("sessions"), null, "top", "0"), 400, "InvalidParameter");
        refused(sessions, request("GET", List.of("sessions"), null, "top", "1001"), 400, "InvalidParameter");
        refused(sessions, request("GET", List.of("sessions"), null, "top", "ten"), 400, "InvalidParameter");
        refused(sessions, request("GET", List.of("sessions"), null, "skipToken", "%%"), 400, "InvalidParameter");
        refused(sessions, request("GET", List.of("sessions", "nobody-here"), null), 404, "NotFound");
        refused(sessions, request("DELETE", List.of("sessions", "nobody-here"), null), 404, "NotFound");
        refused(sessions, request("POST", List.of("sessions"), "{}"), 405, "MethodNotAllowed");
        refused(sessions, request("PUT", List.of("sessions", "nobody-here"), "{}"), 405, "MethodNotAllowed");
    }

    @Test
    void deleteDisconnectsWithAdministrativeActionAndKeepsTheSession() throws Exception {
        MqttTestClients.Client5 client = clients.mqtt5("client-1", "kick-keep");
        client.client().connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        client.client().subscribeWith().topicFilter("kick/keep").qos(MqttQos.AT_LEAST_ONCE).send();
        refused(sessions, request("DELETE", List.of("sessions", "kick-keep"), null, "discard", "yes"), 400,
                "InvalidParameter");
        // A bad parameter is a 400 whether or not the session exists.
        refused(sessions, request("DELETE", List.of("sessions", "nobody-here"), null, "discard", "yes"), 400,
                "InvalidParameter");

        assertThat(sessions.handle(request("DELETE", List.of("sessions", "kick-keep"), null)).status())
                .isEqualTo(204);

        Throwable cause = client.disconnected().get(WAIT.toSeconds(), TimeUnit.SECONDS).getCause();
        assertThat(cause).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e ->
                assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode offline = json(sessions, request("GET", List.of("sessions", "kick-keep"), null), 200);
            assertThat(offline.path("connected").asBoolean()).isFalse();
            assertThat(offline.path("protocol").isNull()).isTrue();
            assertThat(offline.path("transport").isNull()).isTrue();
            assertThat(offline.path("remoteAddress").isNull()).isTrue();
            assertThat(offline.path("connectedAt").isNull()).isTrue();
            assertThat(Instant.parse(offline.path("disconnectedAt").asText()))
                    .isAfter(Instant.now().minusSeconds(60));
            assertThat(offline.path("subscriptions").get(0).path("topicFilter").asText()).isEqualTo("kick/keep");
        });
    }

    @Test
    void discardEndsTheSessionWithoutItsWill() throws Exception {
        Mqtt5BlockingClient watcher = clients.mqtt5("client-2", "discard-watcher").client();
        watcher.connectWith().cleanStart(true).send();
        MqttTestClients.Client5 doomed = clients.mqtt5("client-1", "discard-me");
        doomed.client().connectWith().cleanStart(true).sessionExpiryInterval(600)
                .willPublish().topic("discard/will").payload(bytes("will")).qos(MqttQos.AT_LEAST_ONCE)
                .applyWillPublish()
                .send();

        // HiveMQ drops messages that arrive before a publishes flow exists, so it is opened before subscribing.
        try (Mqtt5BlockingClient.Mqtt5Publishes received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("discard/will").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(sessions.handle(request("DELETE", List.of("sessions", "discard-me"), null,
                    "discard", "true")).status()).isEqualTo(204);

            refused(sessions, request("GET", List.of("sessions", "discard-me"), null), 404, "NotFound");
            assertThat(doomed.disconnected().get(WAIT.toSeconds(), TimeUnit.SECONDS).getCause())
                    .isInstanceOf(Mqtt5DisconnectException.class);
            // A Will would have been published when the connection closed, before this marker is published.
            Mqtt5BlockingClient marker = clients.mqtt5("client-3", "discard-marker").client();
            marker.connectWith().cleanStart(true).send();
            marker.publishWith().topic("discard/will").payload(bytes("marker")).qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> first = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(first).get().extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("marker");
        }
        JsonNode list = json(sessions, request("GET", List.of("sessions"), null, "filter", "discard-me"), 200);
        assertThat(list.path("value")).isEmpty();
    }

    @Test
    void plainDeleteSendsTheWillAsAnyServerDisconnectDoes() throws Exception {
        Mqtt5BlockingClient watcher = clients.mqtt5("client-2", "will-watcher").client();
        watcher.connectWith().cleanStart(true).send();
        MqttTestClients.Client5 kicked = clients.mqtt5("client-1", "kick-will");
        kicked.client().connectWith().cleanStart(true)
                .willPublish().topic("kick/will").payload(bytes("gone")).qos(MqttQos.AT_LEAST_ONCE).applyWillPublish()
                .send();

        try (Mqtt5BlockingClient.Mqtt5Publishes received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("kick/will").qos(MqttQos.AT_LEAST_ONCE).send();
            sessions.handle(request("DELETE", List.of("sessions", "kick-will"), null));

            assertThat(kicked.disconnected().get(WAIT.toSeconds(), TimeUnit.SECONDS).getCause())
                    .isInstanceOf(Mqtt5DisconnectException.class);

            Optional<Mqtt5Publish> will = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(will).get().extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("gone");
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
