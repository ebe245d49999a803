package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.config.StorageConfig;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.portcullis.admin.ops.OpsRequests.json;
import static io.portcullis.admin.ops.OpsRequests.queryOf;
import static io.portcullis.admin.ops.OpsRequests.refused;
import static io.portcullis.admin.ops.OpsRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retained messages handler on a real broker: messages retained by a HiveMQ client are listed by filter and
 * page, read with payload and properties, and deleted as a retained PUBLISH with an empty payload would delete
 * them (a new subscriber no longer gets it; a durable broker no longer has it after a restart).
 */
class RetainedMessagesHandlerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static ApiHandler retained;

    private MqttTestClients clients;

    @BeforeAll
    static void start() throws Exception {
        broker = RunningBroker.start(directory);
        retained = OperationsHandlers.create(broker.broker().context(), broker.broker().metrics()).get("retainedMessages");
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
    void readsOneMessageWithPayloadAndProperties() throws Exception {
        Mqtt5BlockingClient publisher = connected("read-publisher");
        publisher.publishWith().topic("plant/7/temp").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("21.5")).contentType("text/plain")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).messageExpiryInterval(3600)
                .responseTopic("plant/7/reply").correlationData(new byte[]{1, 2, 3})
                .userProperties().add("unit", "celsius").add("sensor", "t1").applyUserProperties()
                .send();

        JsonNode message = json(retained, request("GET", List.of("retainedMessages", "plant/7/temp"), null), 200);

        assertThat(message.path("topic").asText()).isEqualTo("plant/7/temp");
        assertThat(message.path("qos").asInt()).isEqualTo(1);
        assertThat(message.path("payloadSize").asInt()).isEqualTo(4);
        assertThat(message.path("payloadFormatIndicator").asInt()).isEqualTo(1);
        assertThat(message.path("contentType").asText()).isEqualTo("text/plain");
        assertThat(message.path("messageExpiryIntervalSeconds").asLong()).isBetween(3500L, 3600L);
        assertThat(Base64.getDecoder().decode(message.path("payload").asText())).isEqualTo(bytes("21.5"));
        assertThat(message.path("responseTopic").asText()).isEqualTo("plant/7/reply");
        assertThat(Base64.getDecoder().decode(message.path("correlationData").asText()))
                .containsExactly(1, 2, 3);
        assertThat(message.path("userProperties")).hasSize(2);
        assertThat(message.path("userProperties").get(0).path("name").asText()).isEqualTo("unit");
        assertThat(message.path("userProperties").get(0).path("value").asText()).isEqualTo("celsius");
        assertThat(message.path("userProperties").get(1).path("name").asText()).isEqualTo("sensor");
    }

    @Test
    void messageWithoutPropertiesHasNullsAndAnEmptyList() throws Exception {
        Mqtt5BlockingClient publisher = connected("bare-publisher");
        publisher.publishWith().topic("bare/one").retain(true).payload(bytes("x")).send();
        // QoS 0 is not acknowledged; the broker handles a connection's packets in order, so once this QoS 1
        // PUBLISH is acknowledged the retained one has been stored.
        publisher.publishWith().topic("bare/sync").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("s")).send();

        JsonNode message = json(retained, request("GET", List.of("retainedMessages", "bare/one"), null), 200);

        assertThat(message.path("qos").asInt()).isZero();
        for (String field : List.of("payloadFormatIndicator", "contentType", "messageExpiryIntervalSeconds",
                "responseTopic", "correlationData")) {
            assertThat(message.path(field).isNull()).as(field).isTrue();
        }
        assertThat(message.path("userProperties")).isEmpty();
    }

    @Test
    void listsByFilterSortedByTopicInPages() throws Exception {
        Mqtt5BlockingClient publisher = connected("list-publisher");
        for (String topic : List.of("list/c", "list/a/deep", "list/b", "list/a", "elsewhere/z")) {
            publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(topic)).send();
        }

        List<String> topics = new ArrayList<>();
        String[] query = {"topicFilter", "list/#", "top", "3"};
        int pages = 0;
        while (query != null) {
            JsonNode page = json(retained, request("GET", List.of("retainedMessages"), null, query), 200);
            page.path("value").forEach(item -> {
                topics.add(item.path("topic").asText());
                assertThat(item.has("payload")).isFalse();
                assertThat(item.path("payloadSize").asInt()).isEqualTo(item.path("topic").asText().length());
            });
            pages++;
            String next = page.path("nextLink").asText(null);
            query = next == null ? null : queryOf(next);
        }

        assertThat(topics).containsExactly("list/a", "list/a/deep", "list/b", "list/c");
        assertThat(pages).isEqualTo(2);
        JsonNode plus = json(retained, request("GET", List.of("retainedMessages"), null, "topicFilter", "list/+"),
                200);
        assertThat(plus.path("value")).extracting(item -> item.path("topic").asText())
                .containsExactly("list/a", "list/b", "list/c");
        JsonNode everything = json(retained, request("GET", List.of("retainedMessages"), null), 200);
        assertThat(everything.path("value")).extracting(item -> item.path("topic").asText())
                .contains("elsewhere/z", "list/a");
    }

    @Test
    void refusesBadFiltersAndUnknownTopics() {
        refused(retained, request("GET", List.of("retainedMessages"), null, "topicFilter", "a/#/b"), 400,
                "InvalidParameter");
        refused(retained, request("GET", List.of("retainedMessages"), null, "topicFilter", "$share/g/a"), 400,
                "InvalidParameter");
        refused(retained, request("GET", List.of("retainedMessages", "no/such/topic"), null), 404, "NotFound");
        refused(retained, request("GET", List.of("retainedMessages", "a/+"), null), 404, "NotFound");
        refused(retained, request("DELETE", List.of("retainedMessages", "no/such/topic"), null), 404, "NotFound");
        refused(retained, request("PUT", List.of("retainedMessages", "a"), "{}"), 405, "MethodNotAllowed");
        refused(retained, request("POST", List.of("retainedMessages"), "{}"), 405, "MethodNotAllowed");
    }

    @Test
    void deleteRemovesItSoANewSubscriberDoesNotGetIt() throws Exception {
        Mqtt5BlockingClient publisher = connected("delete-publisher");
        publisher.publishWith().topic("gone/1").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("old")).send();

        assertThat(retained.handle(request("DELETE", List.of("retainedMessages", "gone/1"), null)).status())
                .isEqualTo(204);

        refused(retained, request("GET", List.of("retainedMessages", "gone/1"), null), 404, "NotFound");
        refused(retained, request("DELETE", List.of("retainedMessages", "gone/1"), null), 404, "NotFound");
        publisher.publishWith().topic("gone/2").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("new")).send();
        Mqtt5BlockingClient subscriber = connected("delete-subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("gone/#").qos(MqttQos.AT_LEAST_ONCE).send();
            // Retained messages go out when the subscription is made, so all of them come before this one.
            publisher.publishWith().topic("gone/marker").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m")).send();
            List<String> topics = new ArrayList<>();
            while (!topics.contains("gone/marker")) {
                Optional<Mqtt5Publish> next = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(next).as("messages after %s", topics).isPresent();
                topics.add(next.get().getTopic().toString());
            }
            assertThat(topics).containsExactly("gone/2", "gone/marker");
        }
    }

    @Test
    void aDeleteIsDurable(@TempDir Path durableDirectory) throws Exception {
        Path data = durableDirectory.resolve("data");
        try (RunningBroker durable = RunningBroker.start(durableDirectory,
                config -> config.withStorage(StorageConfig.rocksDb(data)))) {
            MqttTestClients durableClients = new MqttTestClients(durable);
            Mqtt5BlockingClient publisher = durableClients.mqtt5("client-1", "durable-publisher").client();
            publisher.connectWith().cleanStart(true).send();
            publisher.publishWith().topic("keep/me").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("k")).send();
            publisher.publishWith().topic("drop/me").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("d")).send();
            durableClients.close();
            ApiHandler handler = OperationsHandlers.create(durable.broker().context(), durable.broker().metrics()).get("retainedMessages");

            assertThat(handler.handle(request("DELETE", List.of("retainedMessages", "drop/me"), null)).status())
                    .isEqualTo(204);
        }

        try (RunningBroker restarted = RunningBroker.start(durableDirectory,
                config -> config.withStorage(StorageConfig.rocksDb(data)))) {
            ApiHandler handler = OperationsHandlers.create(restarted.broker().context(), restarted.broker().metrics()).get("retainedMessages");
            JsonNode all = json(handler, request("GET", List.of("retainedMessages"), null), 200);
            assertThat(all.path("value")).extracting(item -> item.path("topic").asText()).containsExactly("keep/me");
        }
    }

    private Mqtt5BlockingClient connected(String clientId) throws Exception {
        Mqtt5BlockingClient client = clients.mqtt5("client-1", clientId).client();
        client.connectWith().cleanStart(true).send();
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
