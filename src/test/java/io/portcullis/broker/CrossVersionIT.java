package io.portcullis.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * MQTT 3.1.1 and MQTT 5 clients on one broker (HiveMQ client, mutual TLS): messages cross between the
 * versions at QoS 1, MQTT 5-only properties do not get in the way of a 3.1.1 subscriber, and overlapping
 * 3.1.1 subscriptions deliver one copy at the highest granted QoS [MQTT-3.3.5-1].
 */
class CrossVersionIT {
    private static final long WAIT_SECONDS = 10;

    @TempDir
    static Path directory;
    static RunningBroker broker;

    private final HiveMqConnections clients = new HiveMqConnections();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void disconnectClients() {
        clients.close();
    }

    @Test
    void mqtt311PublisherReachesMqtt5Subscriber() throws Exception {
        Mqtt5BlockingClient subscriber = connected5("client-2", "cross-5-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("cross/3to5").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient publisher = connected3("client-1", "cross-3-pub");

            publisher.publishWith().topic("cross/3to5").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("from 3.1.1"))
                    .send();

            Optional<Mqtt5Publish> received = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getTopic().toString()).isEqualTo("cross/3to5");
            assertThat(text(received.get().getPayloadAsBytes())).isEqualTo("from 3.1.1");
            assertThat(received.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(received.get().getUserProperties().asList()).isEmpty();
        }
    }

    @Test
    void mqtt5PublisherWithPropertiesReachesMqtt311Subscriber() throws Exception {
        Mqtt3BlockingClient subscriber = connected3("client-2", "cross-3-sub");
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("cross/5to3").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient publisher = connected5("client-1", "cross-5-pub");

            publisher.publishWith().topic("cross/5to3").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("from 5"))
                    .userProperties().add("origin", "mqtt5").add("trace", "abc-123").applyUserProperties()
                    .contentType("text/plain").responseTopic("cross/5to3/reply").correlationData(bytes("c1"))
                    .messageExpiryInterval(60)
                    .send();

            Optional<Mqtt3Publish> received = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getTopic().toString()).isEqualTo("cross/5to3");
            assertThat(text(received.get().getPayloadAsBytes())).isEqualTo("from 5");
            assertThat(received.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        }
    }

    @Test
    void overlappingMqtt311SubscriptionsDeliverOneCopyAtTheHighestQos() throws Exception {
        Mqtt3BlockingClient subscriber = connected3("client-2", "cross-overlap-sub");
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt3SubAck subAck = subscriber.subscribeWith()
                    .addSubscription().topicFilter("cross/overlap/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                    .addSubscription().topicFilter("cross/overlap/+/x").qos(MqttQos.EXACTLY_ONCE).applySubscription()
                    .addSubscription().topicFilter("cross/overlap/a/x").qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .send();
            assertThat(subAck.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_0,
                    Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2, Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
            Mqtt3BlockingClient publisher = connected3("client-1", "cross-overlap-pub");

            publisher.publishWith().topic("cross/overlap/a/x").qos(MqttQos.EXACTLY_ONCE).payload(bytes("three match"))
                    .send();
            publisher.publishWith().topic("cross/overlap/a/y").qos(MqttQos.EXACTLY_ONCE).payload(bytes("one matches"))
                    .send();

            Map<String, MqttQos> received = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                Optional<Mqtt3Publish> next = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(next).as("message %d of 2", i + 1).isPresent();
                assertThat(received.put(next.get().getTopic().toString(), next.get().getQos()))
                        .as("a second copy of %s", next.get().getTopic()).isNull();
            }
            assertThat(received).containsOnly(entry("cross/overlap/a/x", MqttQos.EXACTLY_ONCE),
                    entry("cross/overlap/a/y", MqttQos.AT_MOST_ONCE));
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    private Mqtt5BlockingClient connected5(String certificateName, String clientId) throws Exception {
        return clients.connected5(broker, certificateName, clientId);
    }

    private Mqtt3BlockingClient connected3(String certificateName, String clientId) throws Exception {
        return clients.connected3(broker, certificateName, clientId);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
